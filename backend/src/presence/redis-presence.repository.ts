import type { User } from '@flack/contract';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { PresenceRepository } from './presence.repository.js';

const keys = {
  /**
   * `${userId}|${instanceId}` → until when that instance vouches for the user (epoch ms): each
   * instance's claim runs out on its own, so one letting go never cuts short another's.
   */
  online: `${KEY_PREFIX}presence:online`,
  /** User id → the user as JSON, for listing. */
  users: `${KEY_PREFIX}presence:users`,
};

/** Lua: the user id of a claim. */
const USER_OF = `local function userOf(member) return string.match(member, '^(.-)|') end`;

/**
 * Both keys change together, so neither holds a user the other has forgotten. GT keeps a later
 * time this instance set. KEYS: online, users. ARGV: until, instance id, then id and JSON of each user.
 */
const renew = new RedisScript(`
for i = 3, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], 'GT', ARGV[1], ARGV[i] .. '|' .. ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 0`);

/**
 * Drops the claims whose time ran out, and the names of users nobody vouches for any more, and
 * answers everyone still online (soonest to run out first), in one step. KEYS: online, users.
 * ARGV: now. In slices, because Lua's unpack has a limit of a few thousand values.
 */
const readOnline = new RedisScript(`${USER_OF}
local function sliced(command, key, items)
  local answers = {}
  for i = 1, #items, 1000 do
    local part = redis.call(command, key, unpack(items, i, math.min(i + 999, #items)))
    if type(part) == 'table' then for _, answer in ipairs(part) do table.insert(answers, answer) end end
  end
  return answers
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local alive, ids = {}, {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local id = userOf(member)
  if not alive[id] then
    alive[id] = true
    table.insert(ids, id)
  end
end
local gone = {}
for _, member in ipairs(expired) do
  local id = userOf(member)
  if not alive[id] then table.insert(gone, id) end
end
sliced('HDEL', KEYS[2], gone)
return sliced('HMGET', KEYS[2], ids)`);

/** Every instance's claim on the user, and the name. KEYS: online, users. ARGV: id. */
const remove = new RedisScript(`${USER_OF}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if userOf(member) == ARGV[1] then redis.call('ZREM', KEYS[1], member) end
end
redis.call('HDEL', KEYS[2], ARGV[1])
return 0`);

/**
 * Presence shared by every instance through Redis: a sorted set of which instance vouches for whom
 * until when, and the users' names beside it.
 */
export class RedisPresenceRepository extends PresenceRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  async renew(users: User[], until: number): Promise<void> {
    if (users.length === 0) return;
    const args = users.flatMap(({ id, name }) => [id, JSON.stringify({ id, name })]);
    await this.store.run((redis) =>
      renew.run(redis, [keys.online, keys.users], [until, this.store.instanceId, ...args]),
    );
  }

  async expire(userId: string, at: number): Promise<void> {
    // This instance's claim only, and only if it has one (XX): a user already gone is not brought
    // back, and a tab on another instance keeps them online by its own claim.
    await this.store.run((redis) => redis.zadd(keys.online, 'XX', at, `${userId}|${this.store.instanceId}`));
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
