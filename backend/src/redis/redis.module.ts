import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { redisTarget, RedisStore } from './redis-store.js';

/**
 * Provides the RedisStore when `REDIS_URL`, `REDIS_SENTINELS` or `REDIS_CLUSTER_NODES` is set, and `null` otherwise; the repositories, the rate
 * limiter and the Socket.IO adapter pick their in-memory or Redis form from it (see
 * `repositoryProvider`). Start-up fails when Redis cannot be reached.
 */
@Global()
@Module({
  providers: [
    {
      provide: RedisStore,
      inject: [ConfigService, EventBus],
      useFactory: async (config: ConfigService<Env, true>, events: EventBus): Promise<RedisStore | null> => {
        const target = redisTarget({
          REDIS_URL: config.get('REDIS_URL', { infer: true }),
          REDIS_SENTINELS: config.get('REDIS_SENTINELS', { infer: true }),
          REDIS_SENTINEL_NAME: config.get('REDIS_SENTINEL_NAME', { infer: true }),
          REDIS_SENTINEL_PASSWORD: config.get('REDIS_SENTINEL_PASSWORD', { infer: true }),
          REDIS_CLUSTER_NODES: config.get('REDIS_CLUSTER_NODES', { infer: true }),
          REDIS_USERNAME: config.get('REDIS_USERNAME', { infer: true }),
          REDIS_PASSWORD: config.get('REDIS_PASSWORD', { infer: true }),
          REDIS_TLS: config.get('REDIS_TLS', { infer: true }),
        });
        if (!target) return null;
        const store = await RedisStore.connect(target);
        store.onDataLost(() => events.emitToAll('store.reset', {}));
        return store;
      },
    },
  ],
  exports: [RedisStore],
})
export class RedisModule {}
