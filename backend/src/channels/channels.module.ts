import { Module } from '@nestjs/common';
import { repositoryProvider } from '../redis/repository.provider.js';
import { ChannelsController } from './channels.controller.js';
import { ChannelsRepository } from './channels.repository.js';
import { ChannelsService } from './channels.service.js';
import { InMemoryChannelsRepository } from './in-memory-channels.repository.js';
import { RedisChannelsRepository } from './redis-channels.repository.js';

@Module({
  controllers: [ChannelsController],
  providers: [
    ChannelsService,
    repositoryProvider(ChannelsRepository, InMemoryChannelsRepository, RedisChannelsRepository),
  ],
  exports: [ChannelsService],
})
export class ChannelsModule {}
