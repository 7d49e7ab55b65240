import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { LoggingModule } from './common/logging/logging.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { ValidationModule } from './common/validation/validation.module.js';
import { HotPaths } from './common/ws/hot-path.js';
import { validateEnv, type Env } from './config/env.js';
import { EventsModule } from './events/events.module.js';
import { FilesModule } from './files/files.module.js';
import { AsyncApiController } from './docs/asyncapi.controller.js';
import { HealthController } from './health/health.controller.js';
import { RedisModule } from './redis/redis.module.js';
import { SearchModule } from './search/search.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { WebModule } from './web/web.module.js';

export { DEFAULT_STATIC_DIR } from './web/web.module.js';

/** Everything but the configuration, which `register` builds. */
const FEATURE_IMPORTS = [
  LoggingModule,
  // The built Angular app; without a build (backend tests, `npm run dev` before it) the API still runs.
  WebModule,
  RedisModule,
  RateLimitModule,
  ValidationModule,
  EventsModule,
  DiscoveryModule,
  // Sessions imports every feature below it: users, channels, messages, presence.
  SessionsModule,
  SearchModule,
  // Files' routes need sessions, so they sit beside them (the file store itself is below messages).
  FilesModule,
];

/** Settings as environment strings, e.g. `{ NAME_RESERVATION_SECONDS: '1' }` in a test. */
export type EnvOverrides = Partial<Record<keyof Env, string>>;

@Module({})
export class AppModule {
  /** The whole app; `overrides` win over the process environment (tests use them). */
  static register(overrides: EnvOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Validated once at start-up; an invalid setting stops the server with the reason.
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          load: [() => ({ ...validateEnv({ ...process.env, ...overrides }) })],
        }),
        ...FEATURE_IMPORTS,
      ],
      controllers: [HealthController, AsyncApiController],
      providers: [HotPaths],
    };
  }
}
