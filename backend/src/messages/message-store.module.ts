import { Module } from '@nestjs/common';
import { repositoryProvider } from '../redis/repository.provider.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import { InMemoryReadStateRepository } from './in-memory-read-state.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { ReadStateRepository } from './read-state.repository.js';
import { RedisMessagesRepository } from './redis-messages.repository.js';
import { RedisReadStateRepository } from './redis-read-state.repository.js';

/**
 * Where messages and read positions are kept, in memory or on Redis. Its own module because
 * channels read history to open a channel, below the messages feature that depends on channels.
 */
@Module({
  providers: [
    repositoryProvider(MessagesRepository, InMemoryMessagesRepository, RedisMessagesRepository),
    repositoryProvider(ReadStateRepository, InMemoryReadStateRepository, RedisReadStateRepository),
  ],
  exports: [MessagesRepository, ReadStateRepository],
})
export class MessageStoreModule {}
