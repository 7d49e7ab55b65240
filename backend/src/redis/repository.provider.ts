import type { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { RedisStore } from './redis-store.js';

type Token<T> = abstract new (...args: never[]) => T;

/**
 * Binds a repository to its Redis implementation when Flack runs on Redis and to its in-memory one
 * otherwise. Services depend on the abstract class only, so neither of them changes.
 */
export function repositoryProvider<T>(
  token: Token<T>,
  inMemory: new () => T,
  redisBacked: new (store: RedisStore, config: ConfigService<Env, true>) => T,
): FactoryProvider<T> {
  return {
    provide: token,
    inject: [RedisStore, ConfigService],
    useFactory: (store: RedisStore | null, config: ConfigService<Env, true>) =>
      store ? new redisBacked(store, config) : new inMemory(),
  };
}
