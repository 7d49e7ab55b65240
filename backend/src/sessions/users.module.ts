import { Module } from '@nestjs/common';
import { repositoryProvider } from '../redis/repository.provider.js';
import { InMemoryUsersRepository } from './in-memory-users.repository.js';
import { RedisUsersRepository } from './redis-users.repository.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/**
 * Who exists: the users repository and the directory other features look people up in. The bottom
 * of the house; sessions (claims, tokens, connections) build on it in SessionsModule.
 */
@Module({
  providers: [
    UsersService,
    repositoryProvider(UsersRepository, InMemoryUsersRepository, RedisUsersRepository),
  ],
  exports: [UsersService, UsersRepository],
})
export class UsersModule {}
