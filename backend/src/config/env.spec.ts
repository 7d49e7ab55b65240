import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Env, validateEnv } from './env.js';

const configurationDoc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

describe('Env', () => {
  it('is documented: every setting has a row in docs/configuration.md', () => {
    const settings = Object.keys(validateEnv({})).concat(['HOST', 'REDIS_URL', 'TRUST_PROXY', 'STATIC_DIR']);
    const undocumented = [...new Set(settings)].filter((name) => !configurationDoc.includes(`| \`${name}\``));
    expect(undocumented).toEqual([]);
  });

  it('stops start-up with every problem listed', () => {
    expect(() => validateEnv({ PORT: 'x', CHANNEL_JOINS_PER_MINUTE: '0' })).toThrow(
      /PORT[\s\S]*CHANNEL_JOINS_PER_MINUTE/,
    );
    expect(validateEnv({})).toBeInstanceOf(Env);
  });
});
