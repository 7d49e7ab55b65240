import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { repositoryProvider } from '../redis/repository.provider.js';
import { InMemoryUsersRepository } from './in-memory-users.repository.js';
import { RedisUsersRepository } from './redis-users.repository.js';
import { SessionsController } from './sessions.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [ChannelsModule],
  controllers: [SessionsController],
  providers: [
    UsersService,
    repositoryProvider(UsersRepository, InMemoryUsersRepository, RedisUsersRepository),
  ],
  exports: [UsersService],
})
export class UsersModule {}
