import type { User } from '@flack/contract';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { PresenceRepository } from './presence.repository.js';

const keys = {
  /** User id → until when they count as online (epoch ms). */
  online: `${KEY_PREFIX}presence:online`,
  /** User id → the user as JSON, for listing. */
  users: `${KEY_PREFIX}presence:users`,
};

/**
 * Both keys change together, so neither holds a user the other has forgotten. GT keeps a later
 * time another instance set. KEYS: online, users. ARGV: until, then id and JSON of each user.
 */
const renew = new RedisScript(`
for i = 2, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[i])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 0`);

/**
 * Drops users whose time ran out and answers everyone still online, in one step. KEYS: online,
 * users. ARGV: now. Answers the JSON of each online user. In slices, because Lua's unpack has a
 * limit of a few thousand values and a busy server has more users than that.
 */
const readOnline = new RedisScript(`
local function sliced(command, key, items)
  local answers = {}
  for i = 1, #items, 1000 do
    local part = redis.call(command, key, unpack(items, i, math.min(i + 999, #items)))
    if type(part) == 'table' then for _, answer in ipairs(part) do table.insert(answers, answer) end end
  end
  return answers
end
sliced('HDEL', KEYS[2], redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return sliced('HMGET', KEYS[2], redis.call('ZRANGE', KEYS[1], 0, -1))`);

/** KEYS: online, users. ARGV: id. */
const remove = new RedisScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 0`);

/**
 * Presence shared by every instance through Redis: a sorted set of who is online until when, and
 * the users' names beside it.
 */
export class RedisPresenceRepository extends PresenceRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  async renew(users: User[], until: number): Promise<void> {
    if (users.length === 0) return;
    const args = users.flatMap(({ id, name }) => [id, JSON.stringify({ id, name })]);
    await this.store.run((redis) => renew.run(redis, [keys.online, keys.users], [until, ...args]));
  }

  async expire(userId: string, at: number): Promise<void> {
    // XX: a user already gone (or never online) is not brought back without a name to list. Not
    // GT: the grace period starts now; another instance holding the user renews it within a beat.
    await this.store.run((redis) => redis.zadd(keys.online, 'XX', at, userId));
  }

  async online(now: number): Promise<User[]> {
    const answer = (await this.store.run((redis) =>
      readOnline.run(redis, [keys.online, keys.users], [now]),
    )) as (string | null)[];
    return answer.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as User);
  }

  async remove(userId: string): Promise<void> {
    await this.store.run((redis) => remove.run(redis, [keys.online, keys.users], [userId]));
  }
}
