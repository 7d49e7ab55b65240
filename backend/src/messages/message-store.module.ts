import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ChannelsRepository } from '../channels/channels.repository.js';
import { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { RedisStore } from '../redis/redis-store.js';
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
 *
 * An append checks the author's membership in the same step (on Redis, one script that reads the
 * channel's keys). In memory it asks the channels repository of this process, which ChannelsModule
 * provides and which is built after this module: it is looked up by its token once, at the first
 * append.
 */
@Module({
  providers: [
    {
      provide: MessagesRepository,
      inject: [RedisStore, ModuleRef],
      useFactory: (store: RedisStore | null, modules: ModuleRef): MessagesRepository =>
        store
          ? new RedisMessagesRepository(store)
          : new InMemoryMessagesRepository(() => channelsOfProcess(modules)),
    },
    repositoryProvider(ReadStateRepository, InMemoryReadStateRepository, RedisReadStateRepository),
  ],
  exports: [MessagesRepository, ReadStateRepository],
})
export class MessageStoreModule {}

/** The in-memory channels repository ChannelsModule provides when there is no Redis. */
function channelsOfProcess(modules: ModuleRef): InMemoryChannelsRepository {
  const channels = modules.get(ChannelsRepository, { strict: false });
  if (!(channels instanceof InMemoryChannelsRepository)) {
    throw new Error('Messages in memory need the channels in memory too (REDIS_URL decides both).');
  }
  return channels;
}
