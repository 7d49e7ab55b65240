import { Module } from '@nestjs/common';
import { ChannelsController } from './channels.controller.js';
import { ChannelsRepository } from './channels.repository.js';
import { ChannelsService } from './channels.service.js';
import { InMemoryChannelsRepository } from './in-memory-channels.repository.js';

@Module({
  controllers: [ChannelsController],
  providers: [ChannelsService, { provide: ChannelsRepository, useClass: InMemoryChannelsRepository }],
  exports: [ChannelsService],
})
export class ChannelsModule {}
