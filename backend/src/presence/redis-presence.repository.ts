import type { User } from '@flack/contract';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import {
  PresenceRepository,
  type PresenceBeat,
  type PresenceSnapshot,
  type PresenceUpdate,
} from './presence.repository.js';

const keys = {
  /** Instance id → until when it is alive (epoch ms): the dead are found with one ZRANGEBYSCORE. */
  instances: `${KEY_PREFIX}presence:instances`,
  /** User ids the instance has a tab of. */
  claims: (instanceId: string) => `${KEY_PREFIX}presence:instance:${instanceId}:users`,
  /** User id → how many instances claim them; a user is online while it is above 0. */
  counts: `${KEY_PREFIX}presence:counts`,
  /** User id → the user as JSON, for the online users only. */
  users: `${KEY_PREFIX}presence:users`,
  /** The number of the latest update. */
  seq: `${KEY_PREFIX}presence:seq`,
};

/** How many dead instances one beat answers; the next beats find the rest. */
const DEAD_PER_BEAT = 16;

/**
 * Lua steps shared by the scripts, over KEYS[2] counts, KEYS[3] users, KEYS[4] seq. An update is
 * answered as three values: user JSON, 1 online or 0 offline, seq.
 */
const STEPS_LUA = `
local function claim(claims, id, json, out)
  if redis.call('SADD', claims, id) == 0 then return end
  if redis.call('HINCRBY', KEYS[2], id, 1) > 1 then return end
  redis.call('HSET', KEYS[3], id, json)
  table.insert(out, json); table.insert(out, 1); table.insert(out, redis.call('INCR', KEYS[4]))
end
local function gone(id, out)
  if redis.call('HINCRBY', KEYS[2], id, -1) > 0 then return end
  redis.call('HDEL', KEYS[2], id)
  local json = redis.call('HGET', KEYS[3], id)
  if not json then return end
  redis.call('HDEL', KEYS[3], id)
  table.insert(out, json); table.insert(out, 0); table.insert(out, redis.call('INCR', KEYS[4]))
end
local function release(claims, id, out)
  if redis.call('SREM', claims, id) == 1 then gone(id, out) end
end`;

/** KEYS: this instance's claims, counts, users, seq. ARGV: id, JSON. */
const claim = new RedisScript(`${STEPS_LUA}
local out = {}
claim(KEYS[1], ARGV[1], ARGV[2], out)
return out`);

/** KEYS: this instance's claims, counts, users, seq. ARGV: id. */
const release = new RedisScript(`${STEPS_LUA}
local out = {}
release(KEYS[1], ARGV[1], out)
return out`);

/**
 * KEYS: this instance's claims, counts, users, seq, instances. ARGV: instance id, alive until,
 * then the id and JSON of each user it claims.
 */
const restate = new RedisScript(`${STEPS_LUA}
redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
local listed, out = {}, {}
for i = 3, #ARGV, 2 do listed[ARGV[i]] = true end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if not listed[id] then release(KEYS[1], id, out) end
end
for i = 3, #ARGV, 2 do claim(KEYS[1], ARGV[i], ARGV[i + 1], out) end
return out`);

/**
 * Says this instance is alive (answers 1 if Redis did not know it), lists the dead and answers the
 * latest seq. KEYS: instances, seq. ARGV: instance id, alive until, now, how many dead at most.
 */
const beat = new RedisScript(`
local added = redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'LIMIT', 0, ARGV[4])
return {added, dead, tonumber(redis.call('GET', KEYS[2]) or '0')}`);

/**
 * Takes over a dead instance, if it still is (nobody took it over, it did not come back). KEYS:
 * its claims, counts, users, seq, instances. ARGV: its id, now.
 */
const reap = new RedisScript(`${STEPS_LUA}
local alive = redis.call('ZSCORE', KEYS[5], ARGV[1])
if not alive or tonumber(alive) > tonumber(ARGV[2]) then return {} end
redis.call('ZREM', KEYS[5], ARGV[1])
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do gone(id, out) end
redis.call('DEL', KEYS[1])
return out`);

/** KEYS: users, seq. Answers the seq, then the JSON of everyone online. */
const snapshot = new RedisScript(`
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
return {seq, redis.call('HVALS', KEYS[1])}`);

/**
 * Every instance's claim on the user. KEYS: this instance's claims, counts, users, seq, instances.
 * ARGV: prefix, id.
 */
const remove = new RedisScript(`${STEPS_LUA}
redis.call('SREM', KEYS[1], ARGV[2])
for _, instanceId in ipairs(redis.call('ZRANGE', KEYS[5], 0, -1)) do
  redis.call('SREM', ARGV[1] .. 'presence:instance:' .. instanceId .. ':users', ARGV[2])
end
local out = {}
redis.call('HSET', KEYS[2], ARGV[2], 1)
gone(ARGV[2], out)
return out`);

function toUpdates(flat: unknown): PresenceUpdate[] {
  const values = flat as (string | number)[];
  const updates: PresenceUpdate[] = [];
  for (let i = 0; i + 2 < values.length; i += 3)
    updates.push({
      user: JSON.parse(String(values[i])) as User,
      online: Number(values[i + 1]) === 1,
      seq: Number(values[i + 2]),
    });
  return updates;
}

/**
 * Presence shared by every instance through Redis. Each write changes only the users it names and
 * answers the update it made, if any; nothing is read in full but at start-up or after an outage.
 * An instance's beat is one ZADD and one ZRANGEBYSCORE, whatever the number of people.
 */
export class RedisPresenceRepository extends PresenceRepository {
  readonly shared = true;
  /** Redis reconnected since the last beat: what it holds for this instance may be older. */
  private reconnected = false;

  constructor(private readonly store: RedisStore) {
    super();
    store.client.on('ready', () => (this.reconnected = true));
    store.beforeClose(() => this.leave());
  }

  private get own(): string[] {
    return [keys.claims(this.store.instanceId), keys.counts, keys.users, keys.seq];
  }

  async claim({ id, name }: User): Promise<PresenceUpdate | null> {
    const json = JSON.stringify({ id, name });
    const answer = await this.store.run((redis) => claim.run(redis, this.own, [id, json]));
    return toUpdates(answer)[0] ?? null;
  }

  async release(userId: string): Promise<PresenceUpdate | null> {
    const answer = await this.store.run((redis) => release.run(redis, this.own, [userId]));
    return toUpdates(answer)[0] ?? null;
  }

  async restate(users: User[], aliveUntil: number): Promise<PresenceUpdate[]> {
    const args = users.flatMap(({ id, name }) => [id, JSON.stringify({ id, name })]);
    this.reconnected = false;
    const answer = await this.store.run((redis) =>
      restate.run(redis, [...this.own, keys.instances], [this.store.instanceId, aliveUntil, ...args]),
    );
    return toUpdates(answer);
  }

  async beat(now: number, aliveUntil: number): Promise<PresenceBeat> {
    const [added, dead, seq] = (await this.store.run((redis) =>
      beat.run(redis, [keys.instances, keys.seq], [this.store.instanceId, aliveUntil, now, DEAD_PER_BEAT]),
    )) as [number, string[], number];
    const known = added === 0 && !this.reconnected;
    return { known, dead: dead.filter((id) => id !== this.store.instanceId), seq: Number(seq) };
  }

  async reap(instanceId: string, now: number): Promise<PresenceUpdate[]> {
    const answer = await this.store.run((redis) =>
      reap.run(
        redis,
        [keys.claims(instanceId), keys.counts, keys.users, keys.seq, keys.instances],
        [instanceId, now],
      ),
    );
    return toUpdates(answer);
  }

  async snapshot(): Promise<PresenceSnapshot> {
    const [seq, users] = (await this.store.run((redis) =>
      snapshot.run(redis, [keys.users, keys.seq], []),
    )) as [number, string[]];
    return { seq: Number(seq), users: users.map((json) => JSON.parse(json) as User) };
  }

  async remove(userId: string): Promise<PresenceUpdate | null> {
    const answer = await this.store.run((redis) =>
      remove.run(redis, [...this.own, keys.instances], [KEY_PREFIX, userId]),
    );
    return toUpdates(answer)[0] ?? null;
  }

  async leave(): Promise<void> {
    // Dead at once: the next beat of another instance takes its claims over (within a heartbeat).
    await this.store.run((redis) => redis.zadd(keys.instances, 'XX', 0, this.store.instanceId));
  }
}
