import { Module } from '@nestjs/common';
import { repositoryProvider } from '../redis/repository.provider.js';
import { MessageStoreModule } from '../messages/message-store.module.js';
import { UsersModule } from '../sessions/users.module.js';
import { ChannelsController } from './channels.controller.js';
import { ChannelsGateway } from './channels.gateway.js';
import { ChannelsRepository } from './channels.repository.js';
import { ChannelsService } from './channels.service.js';
import { InMemoryChannelsRepository } from './in-memory-channels.repository.js';
import { RedisChannelsRepository } from './redis-channels.repository.js';

/** Channels and direct conversations: names, membership, the listing. Reads history to open one. */
@Module({
  imports: [UsersModule, MessageStoreModule],
  controllers: [ChannelsController],
  providers: [
    ChannelsService,
    ChannelsGateway,
    repositoryProvider(ChannelsRepository, InMemoryChannelsRepository, RedisChannelsRepository),
  ],
  exports: [ChannelsService],
})
export class ChannelsModule {}
