import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
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
      inject: [ConfigService, EventBus],
      useFactory: async (config: ConfigService<Env, true>, events: EventBus): Promise<RedisStore | null> => {
        const url = config.get('REDIS_URL', { infer: true });
        if (!url) return null;
        const store = await RedisStore.connect(url);
        store.onDataLost(() => events.emitToAll('store.reset', {}));
        return store;
      },
    },
  ],
  exports: [RedisStore],
})
export class RedisModule {}
