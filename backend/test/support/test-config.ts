import { ConfigService } from '@nestjs/config';
import type { EnvOverrides } from '../../src/app.module.js';
import { validateEnv, type Env } from '../../src/config/env.js';

/** The real ConfigService over the defaults, for unit tests that build services by hand. */
export function testConfig(overrides: EnvOverrides = {}): ConfigService<Env, true> {
  return new ConfigService<Env, true>({ ...validateEnv(overrides) });
}
