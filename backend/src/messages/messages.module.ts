import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { FileStoreModule } from '../files/file-store.module.js';
import { MessageStoreModule } from './message-store.module.js';
import { MessagesGateway } from './messages.gateway.js';
import { MessagesService } from './messages.service.js';

/** Sending, changing, reading and catching up on messages. */
@Module({
  imports: [ChannelsModule, MessageStoreModule, FileStoreModule],
  providers: [MessagesService, MessagesGateway],
  exports: [MessagesService],
})
export class MessagesModule {}
