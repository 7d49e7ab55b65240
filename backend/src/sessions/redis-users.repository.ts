import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { hashFields, KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { UsersRepository, type UserRecord } from './users.repository.js';

/**
 * An instance silent for this long (five of ConnectionsService's 2-second heartbeats) is taken for
 * dead, and its users' reservations start.
 */
export const INSTANCE_TTL_MS = 10_000;
/**
 * How often, in heartbeats, an instance re-states all its users even if nothing failed: a safety
 * net. After an outage, a failed update or a Redis that lost its alive key it does so at once.
 */
export const BEATS_PER_FULL_SYNC = 15;

const keys = {
  user: (id: string) => `${KEY_PREFIX}user:${id}`,
  byToken: `${KEY_PREFIX}users:by-token`,
  bySkeleton: `${KEY_PREFIX}users:by-skeleton`,
  /** Users without a connected socket, scored by when their reservation runs out. */
  expiring: `${KEY_PREFIX}users:expiring`,
  instances: `${KEY_PREFIX}instances`,
  instanceAlive: (instanceId: string) => `${KEY_PREFIX}instance:${instanceId}:alive`,
  /** Users with at least one socket on that instance. */
  instanceUsers: (instanceId: string) => `${KEY_PREFIX}instance:${instanceId}:users`,
};

/** Claims the skeleton first: of two instances racing for one name, only one HSETNX succeeds. */
const insertIfNameFree = new RedisScript(`
if redis.call('HSETNX', KEYS[1], ARGV[3], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[3], 'id', ARGV[1], 'name', ARGV[2], 'nameSkeleton', ARGV[3], 'tokenHash', ARGV[4], 'expiresAt', ARGV[5])
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1]) end
return 1`);

/** Looks an id up in an index hash and returns the user's hash, in one round trip. */
const findThroughIndex = new RedisScript(`
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return nil end
return redis.call('HGETALL', ARGV[2] .. 'user:' .. id)`);

/** The hashes of the users ARGV[2..] names (ARGV[1]: prefix), in that order. KEYS: any user's hash. */
const findMany = new RedisScript(`
local users = {}
for i = 2, #ARGV do users[#users + 1] = redis.call('HGETALL', ARGV[1] .. 'user:' .. ARGV[i]) end
return users`);

/**
 * A user counts as connected while any instance lists them; when the last one lets go, the
 * reservation runs until `expiresAt`. Unknown users are never created by either step. The scripts
 * of this instance share one layout: KEYS expiring, its users, its alive key, instances; ARGV
 * prefix, its id, INSTANCE_TTL_MS, expiresAt, user ids...
 */
const MEMBERSHIP_LUA = `
local function online(prefix, instanceId, id, expiring, instanceUsers)
  local user = prefix .. 'user:' .. id
  if redis.call('EXISTS', user) == 0 then return end
  redis.call('SADD', user .. ':instances', instanceId)
  redis.call('SADD', instanceUsers, id)
  redis.call('HSET', user, 'expiresAt', '')
  redis.call('ZREM', expiring, id)
end
local function offline(prefix, instanceId, expiresAt, id, expiring, instanceUsers)
  local user = prefix .. 'user:' .. id
  local instances = user .. ':instances'
  redis.call('SREM', instances, instanceId)
  redis.call('SREM', instanceUsers, id)
  if redis.call('SCARD', instances) == 0 and redis.call('EXISTS', user) == 1 then
    redis.call('HSET', user, 'expiresAt', expiresAt)
    redis.call('ZADD', expiring, expiresAt, id)
  end
end
-- Answers whether Redis still knew the instance was alive.
local function alive()
  local was = redis.call('EXISTS', KEYS[3])
  redis.call('SET', KEYS[3], '1', 'PX', ARGV[3])
  redis.call('SADD', KEYS[4], ARGV[2])
  return was
end`;

/** The instance is registered with its users, so a reaper knows of it even before its first beat. */
const markOnline = new RedisScript(`${MEMBERSHIP_LUA}
alive()
for i = 5, #ARGV do online(ARGV[1], ARGV[2], ARGV[i], KEYS[1], KEYS[2]) end
return 0`);

const markOffline = new RedisScript(`${MEMBERSHIP_LUA}
for i = 5, #ARGV do offline(ARGV[1], ARGV[2], ARGV[4], ARGV[i], KEYS[1], KEYS[2]) end
return 0`);

const sayAlive = new RedisScript(`${MEMBERSHIP_LUA}
return alive()`);

/** Makes Redis agree with this instance: the listed users are connected here, any other it held is let go. */
const restate = new RedisScript(`${MEMBERSHIP_LUA}
alive()
local listed = {}
for i = 5, #ARGV do listed[ARGV[i]] = true end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if not listed[id] then offline(ARGV[1], ARGV[2], ARGV[4], id, KEYS[1], KEYS[2]) end
end
for i = 5, #ARGV do online(ARGV[1], ARGV[2], ARGV[i], KEYS[1], KEYS[2]) end
return 0`);

/**
 * Lets go of the users of every instance that stopped beating (or of the listed ones), and forgets
 * those instances. KEYS: instances, expiring. ARGV: prefix, expiresAt, instance ids... (default:
 * all). Answers `[instance id, users released, ...]` for the log.
 */
const reapInstances = new RedisScript(`${MEMBERSHIP_LUA}
local candidates = {unpack(ARGV, 3)}
if #candidates == 0 then candidates = redis.call('SMEMBERS', KEYS[1]) end
local reaped = {}
for _, instanceId in ipairs(candidates) do
  local base = ARGV[1] .. 'instance:' .. instanceId
  if redis.call('EXISTS', base .. ':alive') == 0 then
    local ids = redis.call('SMEMBERS', base .. ':users')
    for _, id in ipairs(ids) do offline(ARGV[1], instanceId, ARGV[2], id, KEYS[2], base .. ':users') end
    redis.call('DEL', base .. ':users')
    redis.call('SREM', KEYS[1], instanceId)
    table.insert(reaped, instanceId)
    table.insert(reaped, #ids)
  end
end
return reaped`);

/** KEYS: the user, by-skeleton, by-token, expiring. ARGV: prefix, id. */
const removeUser = new RedisScript(`
local fields = redis.call('HMGET', KEYS[1], 'nameSkeleton', 'tokenHash')
if not fields[1] then return 0 end
if redis.call('HGET', KEYS[2], fields[1]) == ARGV[2] then redis.call('HDEL', KEYS[2], fields[1]) end
if redis.call('HGET', KEYS[3], fields[2]) == ARGV[2] then redis.call('HDEL', KEYS[3], fields[2]) end
redis.call('ZREM', KEYS[4], ARGV[2])
local instances = KEYS[1] .. ':instances'
for _, instanceId in ipairs(redis.call('SMEMBERS', instances)) do
  redis.call('SREM', ARGV[1] .. 'instance:' .. instanceId .. ':users', ARGV[2])
end
redis.call('DEL', KEYS[1], instances)
return 1`);

/** A user hash as HGETALL answers it, flat from a script or as an object from ioredis. */
function toRecord(hash: unknown): UserRecord | undefined {
  const fields = hashFields(hash);
  if (!fields?.['id']) return undefined;
  return {
    id: fields['id'],
    name: fields['name'] ?? '',
    nameSkeleton: fields['nameSkeleton'] ?? '',
    tokenHash: fields['tokenHash'] ?? '',
    expiresAt: fields['expiresAt'] ? Number(fields['expiresAt']) : null,
  };
}

/**
 * Users in Redis, shared by every instance. A name is held by one HSETNX on its skeleton. Redis
 * knows which instances have a user connected, so a user with tabs on two instances stays
 * connected until both let go. Each heartbeat says this instance is alive, re-states its users
 * when Redis may disagree with them, and releases the users of instances that stopped beating
 * (they crashed) after INSTANCE_TTL_MS.
 */
export class RedisUsersRepository extends UsersRepository {
  private readonly log = new Logger(RedisUsersRepository.name);
  private readonly reservationMs: number;
  /** Redis may disagree with this instance (an update failed, or Redis came back from an outage). */
  private outOfSync = true;
  private beatsSinceSync = 0;
  private beating?: Promise<void>;
  private left = false;

  constructor(
    private readonly store: RedisStore,
    config: ConfigService<Env, true>,
  ) {
    super();
    this.reservationMs = config.get('NAME_RESERVATION_SECONDS', { infer: true }) * 1000;
    store.beforeClose(() => this.leave());
    store.client.on('ready', () => (this.outOfSync = true));
  }

  insertIfNameFree(user: UserRecord): Promise<boolean> {
    return this.store.run(async (redis) => {
      const inserted = await insertIfNameFree.run(
        redis,
        [keys.bySkeleton, keys.byToken, keys.user(user.id), keys.expiring],
        [user.id, user.name, user.nameSkeleton, user.tokenHash, user.expiresAt ?? ''],
      );
      return inserted === 1;
    });
  }

  findById(id: string): Promise<UserRecord | undefined> {
    return this.store.run(async (redis) => toRecord(await redis.hgetall(keys.user(id))));
  }

  findMany(ids: readonly string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.store.run(async (redis) => {
      const hashes = (await findMany.run(redis, [keys.user(ids[0]!)], [KEY_PREFIX, ...ids])) as unknown[];
      return hashes.map(toRecord).filter((record): record is UserRecord => record !== undefined);
    });
  }

  findByTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
    return this.findThrough(keys.byToken, tokenHash);
  }

  findByNameSkeleton(nameSkeleton: string): Promise<UserRecord | undefined> {
    return this.findThrough(keys.bySkeleton, nameSkeleton);
  }

  private findThrough(index: string, value: string): Promise<UserRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(await findThroughIndex.run(redis, [index], [value, KEY_PREFIX])),
    );
  }

  /**
   * Never fails: a socket is connected whatever Redis says. If Redis is out of reach, the next
   * heartbeat after it returns records the user.
   */
  markConnected(id: string): Promise<void> {
    return this.quietly(() => this.membership(markOnline, '', [id]));
  }

  /** Never fails either; the next heartbeat lets go of users this instance no longer lists. */
  markDisconnected(id: string, expiresAt: number): Promise<void> {
    return this.quietly(() => this.membership(markOffline, expiresAt, [id]));
  }

  /** One beat at a time: a slow Redis must not pile them up, and the next beat re-states anyway. */
  heartbeat(connectedIds: string[], expiresAt: number): Promise<void> {
    if (this.left) return Promise.resolve();
    this.beating ??= this.beat(connectedIds, expiresAt).finally(() => (this.beating = undefined));
    return this.beating;
  }

  remove(id: string): Promise<void> {
    return this.store.run(async (redis) => {
      await removeUser.run(
        redis,
        [keys.user(id), keys.bySkeleton, keys.byToken, keys.expiring],
        [KEY_PREFIX, id],
      );
    });
  }

  findExpired(now: number): Promise<UserRecord[]> {
    return this.store.run(async (redis) => {
      const ids = await redis.zrangebyscore(keys.expiring, '-inf', now);
      const hashes = await Promise.all(ids.map((id) => redis.hgetall(keys.user(id))));
      return hashes.map(toRecord).filter((record): record is UserRecord => record !== undefined);
    });
  }

  private async beat(connectedIds: string[], expiresAt: number): Promise<void> {
    try {
      let restating = this.outOfSync || ++this.beatsSinceSync >= BEATS_PER_FULL_SYNC;
      // Redis forgot this instance (it restarted from older data, or reaped it after a long
      // pause): what it lists for us is not to be trusted either.
      if (!restating) restating = (await this.membership(sayAlive, expiresAt)) !== 1;
      if (restating) {
        this.outOfSync = false;
        this.beatsSinceSync = 0;
        await this.membership(restate, expiresAt, connectedIds);
      }
      await this.reap(expiresAt);
    } catch (error) {
      this.outOfSync = true;
      throw error;
    }
  }

  private membership(script: RedisScript, expiresAt: number | '', ids: string[] = []): Promise<unknown> {
    const { instanceId: self } = this.store;
    const scriptKeys = [keys.expiring, keys.instanceUsers(self), keys.instanceAlive(self), keys.instances];
    const args = [KEY_PREFIX, self, INSTANCE_TTL_MS, expiresAt, ...ids];
    return this.store.run((redis) => script.run(redis, scriptKeys, args));
  }

  private async reap(expiresAt: number, instanceIds: string[] = []): Promise<void> {
    const reaped = (await this.store.run((redis) =>
      reapInstances.run(redis, [keys.instances, keys.expiring], [KEY_PREFIX, expiresAt, ...instanceIds]),
    )) as (string | number)[];
    for (let i = 0; i + 1 < reaped.length; i += 2) {
      if (reaped[i] === this.store.instanceId) continue;
      this.log.warn(`Instance ${reaped[i]} stopped; its ${reaped[i + 1]} connected user(s) are now reserved`);
    }
  }

  /** On shutdown: this instance's users are no longer connected here, and it leaves the set. */
  private async leave(): Promise<void> {
    this.left = true;
    await this.beating?.catch(() => undefined);
    const { instanceId } = this.store;
    await this.store.run((redis) => redis.del(keys.instanceAlive(instanceId)));
    await this.reap(Date.now() + this.reservationMs, [instanceId]);
  }

  private async quietly(update: () => Promise<unknown>): Promise<void> {
    if (this.left) return;
    try {
      await update();
    } catch (error) {
      this.outOfSync = true;
      this.log.debug(`connection update deferred to the next heartbeat: ${String(error)}`);
    }
  }
}
