import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { SearchGateway } from './search.gateway.js';
import { SearchService } from './search.service.js';

/** Search: reads the joined channels (channels) and their stored histories (the message store). */
@Module({
  imports: [ChannelsModule, MessageStoreModule],
  providers: [SearchService, SearchGateway],
})
export class SearchModule {}
