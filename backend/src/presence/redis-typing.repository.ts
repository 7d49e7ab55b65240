import type { User } from '@flack/contract';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { TypingRepository } from './typing.repository.js';

/**
 * How long a channel's typing keys outlive its last typist's time: long enough for the timer that
 * stops a typist once their time is up to still find them, and a typist whose instance died (no
 * timer left) goes with the keys.
 */
export const TYPING_KEYS_LINGER_MS = 60_000;

const keys = {
  /** User id → until when they count as typing there (epoch ms). */
  until: (channel: string) => `${KEY_PREFIX}typing:${channel}:until`,
  /** User id → the user as JSON. Per channel, so that nothing of a user outlives their typing. */
  users: (channel: string) => `${KEY_PREFIX}typing:${channel}:users`,
};

/** Who types in the channel at ARGV[1]: the JSON of each, soonest to run out first. */
const TYPISTS_LUA = `
local function typists(now)
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
  if #ids == 0 then return {} end
  return redis.call('HMGET', KEYS[2], unpack(ids))
end`;

/**
 * Records a typist; answers 1 when they were not typing there at `now` (a change to announce).
 * KEYS: until, users. ARGV: user id, until, now, user JSON, linger. The TTL is relative to the
 * caller's clock, as every time here is.
 */
const start = new RedisScript(`
local before = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
local ttl = math.max(tonumber(ARGV[2]) - tonumber(ARGV[3]), 0) + tonumber(ARGV[5])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end
if before and tonumber(before) > tonumber(ARGV[3]) then return 0 end
return 1`);

/**
 * Removes a typist (with ARGV[3] '1', only one whose time ran out) and answers the channel's
 * typists after, or nil when nothing changed. KEYS: until, users. ARGV: now, user id, only if expired.
 */
const stop = new RedisScript(`${TYPISTS_LUA}
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not score then return nil end
if ARGV[3] == '1' and tonumber(score) > tonumber(ARGV[1]) then return nil end
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
return typists(ARGV[1])`);

/** KEYS: until, users. ARGV: now. */
const listTypists = new RedisScript(`${TYPISTS_LUA}
return typists(ARGV[1])`);

/** Typists shared by every instance through Redis, two keys per channel that is being typed in. */
export class RedisTypingRepository extends TypingRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  async start(channel: string, { id, name }: User, until: number, now: number): Promise<boolean> {
    const json = JSON.stringify({ id, name });
    const answer = await this.store.run((redis) =>
      start.run(
        redis,
        [keys.until(channel), keys.users(channel)],
        [id, until, now, json, TYPING_KEYS_LINGER_MS],
      ),
    );
    return answer === 1;
  }

  async stop(channel: string, userId: string, now: number, onlyIfExpired = false): Promise<User[] | null> {
    const answer = (await this.store.run((redis) =>
      stop.run(redis, [keys.until(channel), keys.users(channel)], [now, userId, onlyIfExpired ? '1' : '0']),
    )) as (string | null)[] | null;
    return answer && parseUsers(answer);
  }

  async typists(channel: string, now: number): Promise<User[]> {
    const answer = (await this.store.run((redis) =>
      listTypists.run(redis, [keys.until(channel), keys.users(channel)], [now]),
    )) as (string | null)[];
    return parseUsers(answer);
  }
}

function parseUsers(json: (string | null)[]): User[] {
  return json.filter((entry): entry is string => entry !== null).map((entry) => JSON.parse(entry) as User);
}
