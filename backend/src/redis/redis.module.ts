import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { RedisStore } from './redis-store.js';

/**
 * Provides the RedisStore when `REDIS_URL` is set, and `null` otherwise; the repositories, the rate
 * limiter and the Socket.IO adapter pick their in-memory or Redis form from it (see
 * `repositoryProvider`). Start-up fails when Redis cannot be reached.
 */
@Global()
@Module({
  providers: [
    {
      provide: RedisStore,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): Promise<RedisStore> | null => {
        const url = config.get('REDIS_URL', { infer: true });
        return url ? RedisStore.connect(url) : null;
      },
    },
  ],
  exports: [RedisStore],
})
export class RedisModule {}
