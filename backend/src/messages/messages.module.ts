import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { UsersModule } from '../users/users.module.js';
import { ChatGateway } from './chat.gateway.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import { MessagesRepository } from './messages.repository.js';
import { MessagesService } from './messages.service.js';

@Module({
  imports: [ChannelsModule, UsersModule],
  providers: [
    MessagesService,
    ChatGateway,
    { provide: MessagesRepository, useClass: InMemoryMessagesRepository },
  ],
})
export class MessagesModule {}
