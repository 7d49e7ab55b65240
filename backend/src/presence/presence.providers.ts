import type { FactoryProvider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { RedisStore } from '../redis/redis-store.js';
import { InMemoryPresenceService } from './in-memory-presence.service.js';
import { InMemoryTypingService } from './in-memory-typing.service.js';
import { PresenceService } from './presence.service.js';
import { RedisPresenceService } from './redis-presence.service.js';
import { RedisTypingService } from './redis-typing.service.js';
import { TypingService } from './typing.service.js';

/** In memory for one process; shared through Redis when `REDIS_URL` is set. */
export const presenceProviders: FactoryProvider[] = [
  {
    provide: PresenceService,
    inject: [RedisStore, ConfigService],
    useFactory: (store: RedisStore | null, config: ConfigService<Env, true>) =>
      store ? new RedisPresenceService(store, config) : new InMemoryPresenceService(config),
  },
  {
    provide: TypingService,
    inject: [RedisStore, ConfigService],
    useFactory: (store: RedisStore | null, config: ConfigService<Env, true>) =>
      store ? new RedisTypingService(store, config) : new InMemoryTypingService(config),
  },
];
