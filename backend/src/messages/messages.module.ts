import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { repositoryProvider } from '../redis/repository.provider.js';
import { UsersModule } from '../users/users.module.js';
import { ChatGateway } from './chat.gateway.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';
import { RedisMessagesRepository } from './redis-messages.repository.js';

@Module({
  imports: [ChannelsModule, UsersModule],
  providers: [
    MessagesService,
    ChatGateway,
    repositoryProvider(MessagesRepository, InMemoryMessagesRepository, RedisMessagesRepository),
  ],
})
export class MessagesModule {}
