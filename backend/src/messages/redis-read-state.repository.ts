import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { ReadStateRepository } from './read-state.repository.js';

const positionsKey = (userId: string) => `${KEY_PREFIX}user:${userId}:read`;

/**
 * Moves a read position forward only, atomically (two tabs on two instances may report at once).
 * KEYS: the user's hash. ARGV: channel id, seq. Answers the position now recorded.
 */
const advance = new RedisScript(`
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local wanted = tonumber(ARGV[2])
if wanted > current then
  redis.call('HSET', KEYS[1], ARGV[1], wanted)
  return wanted
end
return current`);

/** Each user's read positions as a Redis hash (channel id → seq), shared by every instance. */
export class RedisReadStateRepository extends ReadStateRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  positionsOf(userId: string): Promise<Map<string, number>> {
    return this.store.run(async (redis) => {
      const stored = await redis.hgetall(positionsKey(userId));
      return new Map(Object.entries(stored).map(([channel, seq]) => [channel, Number(seq)]));
    });
  }

  advance(userId: string, channel: string, seq: number): Promise<number> {
    return this.store.run(async (redis) =>
      Number(await advance.run(redis, [positionsKey(userId)], [channel, seq])),
    );
  }

  async removeUser(userId: string): Promise<void> {
    await this.store.run((redis) => redis.del(positionsKey(userId)));
  }
}
