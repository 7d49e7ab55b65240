import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { KEY_PREFIX, type RedisStore } from './redis-store.js';

type LimiterOptions = ConstructorParameters<typeof RateLimiterMemory>[0];

/**
 * Where rate limits are counted: in this process, or in Redis so that every instance counts
 * against the same limit. While Redis is out of reach each instance counts on its own in memory
 * (rate-limiter-flexible's insurance limiter), so flood control neither stops nor blocks everyone.
 */
export function rateLimiterStore(store: RedisStore | null): (options: LimiterOptions) => RateLimiterAbstract {
  // Each limiter in memory has a table of its own, so its keys need no prefix: the user id itself,
  // not a string made per message, is what every message is counted under.
  if (!store) return (options) => new RateLimiterMemory({ ...options, keyPrefix: '' });
  return (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: `${KEY_PREFIX}rate:${options.keyPrefix ?? ''}`,
      storeClient: store.client,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}
