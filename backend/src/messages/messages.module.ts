import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { repositoryProvider } from '../redis/repository.provider.js';
import { UsersModule } from '../users/users.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { ChatGateway } from './chat.gateway.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import { InMemoryReadStateRepository } from './in-memory-read-state.repository.js';
import { MessageChangesGateway } from './message-changes.gateway.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { ReadStateRepository } from './read-state.repository.js';
import { RedisMessagesRepository } from './redis-messages.repository.js';
import { RedisReadStateRepository } from './redis-read-state.repository.js';

@Module({
  imports: [ChannelsModule, UsersModule, PresenceModule],
  providers: [
    MessagesService,
    ChatGateway,
    MessageChangesGateway,
    repositoryProvider(MessagesRepository, InMemoryMessagesRepository, RedisMessagesRepository),
    repositoryProvider(ReadStateRepository, InMemoryReadStateRepository, RedisReadStateRepository),
  ],
})
export class MessagesModule {}
