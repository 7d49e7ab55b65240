import { Logger, type OnModuleInit } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import { hashFields, KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { UsersRepository, type UserRecord } from './users.repository.js';

/** How often an instance says it is alive and re-states which users it has sockets of. */
export const HEARTBEAT_MS = 2000;
/** An instance silent for this long is taken for dead, and its users' reservations start. */
export const INSTANCE_TTL_MS = 10_000;
/**
 * How often, in heartbeats, an instance re-states all its users even if nothing failed: a safety
 * net. After an outage or a failed update it does so at the next heartbeat.
 */
const BEATS_PER_FULL_SYNC = 15;
/** Expired reservations handed to the sweep at a time. */
const EXPIRED_BATCH = 500;

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

/**
 * A user counts as connected while any instance lists them; when the last one lets go, the
 * reservation runs until ARGV[3].
 */
const OFFLINE_LUA = `
local function offline(prefix, instanceId, expiresAt, id, expiring, instanceUsers)
  local user = prefix .. 'user:' .. id
  local instances = user .. ':instances'
  redis.call('SREM', instances, instanceId)
  redis.call('SREM', instanceUsers, id)
  if redis.call('SCARD', instances) == 0 and redis.call('EXISTS', user) == 1 then
    redis.call('HSET', user, 'expiresAt', expiresAt)
    redis.call('ZADD', expiring, expiresAt, id)
  end
end`;

/** KEYS: expiring, this instance's users. ARGV: prefix, instance id, user ids... */
const markOnline = new RedisScript(`
for i = 3, #ARGV do
  local id = ARGV[i]
  local user = ARGV[1] .. 'user:' .. id
  if redis.call('EXISTS', user) == 1 then
    redis.call('SADD', user .. ':instances', ARGV[2])
    redis.call('SADD', KEYS[2], id)
    redis.call('HSET', user, 'expiresAt', '')
    redis.call('ZREM', KEYS[1], id)
  end
end
return 0`);

/** KEYS: expiring, this instance's users. ARGV: prefix, instance id, expiresAt, user ids... */
const markOffline = new RedisScript(`${OFFLINE_LUA}
for i = 4, #ARGV do offline(ARGV[1], ARGV[2], ARGV[3], ARGV[i], KEYS[1], KEYS[2]) end
return 0`);

/**
 * Lets go of a dead instance's users, unless it came back meanwhile. KEYS: its alive key, its
 * users, the instance set, expiring. ARGV: prefix, its id, expiresAt.
 */
const reapInstance = new RedisScript(`${OFFLINE_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local ids = redis.call('SMEMBERS', KEYS[2])
for _, id in ipairs(ids) do offline(ARGV[1], ARGV[2], ARGV[3], id, KEYS[4], KEYS[2]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[2])
return #ids`);

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
 * Users in Redis, shared by every instance. A name is held by one HSETNX on its skeleton. Sockets
 * are counted per instance in memory; Redis knows which instances have a user connected, so a user
 * with tabs on two instances stays connected until both let go. Each instance re-states its users
 * on a heartbeat, which also repairs anything a Redis outage lost, and the instances release the
 * users of one that stopped beating (it crashed) after INSTANCE_TTL_MS.
 */
export class RedisUsersRepository extends UsersRepository implements OnModuleInit {
  private readonly log = new Logger(RedisUsersRepository.name);
  private readonly socketCounts = new Map<string, number>();
  private readonly reservationMs: number;
  private heartbeat?: NodeJS.Timeout;
  /** Redis may disagree with `socketCounts` (an update failed, or Redis came back from an outage). */
  private outOfSync = true;
  private beatsSinceSync = 0;

  constructor(
    private readonly store: RedisStore,
    config: ConfigService<Env, true>,
  ) {
    super();
    this.reservationMs = config.get('NAME_RESERVATION_SECONDS', { infer: true }) * 1000;
    store.beforeClose(() => this.leave());
    store.client.on('ready', () => (this.outOfSync = true));
  }

  async onModuleInit(): Promise<void> {
    await this.beat();
    let beating = false;
    this.heartbeat = setInterval(() => {
      // A slow Redis must not pile heartbeats up.
      if (beating) return;
      beating = true;
      this.beat()
        .catch((error: unknown) => this.log.debug(`heartbeat failed: ${String(error)}`))
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
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

  findByTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
    return this.findThrough(keys.byToken, tokenHash);
  }

  findByNameSkeleton(nameSkeleton: string): Promise<UserRecord | undefined> {
    return this.findThrough(keys.bySkeleton, nameSkeleton);
  }

  /**
   * Never fails: a socket is connected whatever Redis says. If Redis is out of reach, the next
   * heartbeat after it returns records the user.
   */
  async socketConnected(id: string): Promise<void> {
    const count = (this.socketCounts.get(id) ?? 0) + 1;
    this.socketCounts.set(id, count);
    if (count === 1) await this.runQuietly(() => this.online([id]));
  }

  /** Never fails either; the heartbeat lets go of users this instance no longer has. */
  async socketDisconnected(id: string, expiresAt: number): Promise<void> {
    const count = (this.socketCounts.get(id) ?? 0) - 1;
    if (count > 0) {
      this.socketCounts.set(id, count);
      return;
    }
    this.socketCounts.delete(id);
    await this.runQuietly(() => this.offline([id], expiresAt));
  }

  remove(id: string): Promise<void> {
    this.socketCounts.delete(id);
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
      const ids = await redis.zrangebyscore(keys.expiring, '-inf', now, 'LIMIT', 0, EXPIRED_BATCH);
      const hashes = await Promise.all(ids.map((id) => redis.hgetall(keys.user(id))));
      return hashes.map(toRecord).filter((record): record is UserRecord => record !== undefined);
    });
  }

  private findThrough(index: string, value: string): Promise<UserRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(await findThroughIndex.run(redis, [index], [value, KEY_PREFIX])),
    );
  }

  private async online(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { instanceId } = this.store;
    await this.store.run((redis) =>
      markOnline.run(
        redis,
        [keys.expiring, keys.instanceUsers(instanceId)],
        [KEY_PREFIX, instanceId, ...ids],
      ),
    );
  }

  private async offline(ids: string[], expiresAt: number): Promise<void> {
    if (ids.length === 0) return;
    const { instanceId } = this.store;
    await this.store.run((redis) =>
      markOffline.run(
        redis,
        [keys.expiring, keys.instanceUsers(instanceId)],
        [KEY_PREFIX, instanceId, expiresAt, ...ids],
      ),
    );
  }

  /**
   * Says this instance is alive, makes Redis agree with the sockets it really has when they may
   * differ (an update lost to an outage, or a Redis restarted without its data), and releases the
   * users of instances that stopped beating.
   */
  private async beat(): Promise<void> {
    const { instanceId } = this.store;
    await this.store.run(async (redis) => {
      await redis.set(keys.instanceAlive(instanceId), '1', 'PX', INSTANCE_TTL_MS);
      await redis.sadd(keys.instances, instanceId);
    });
    if (this.outOfSync || ++this.beatsSinceSync >= BEATS_PER_FULL_SYNC) await this.sync();
    await this.reapDeadInstances();
  }

  private async sync(): Promise<void> {
    this.outOfSync = false;
    this.beatsSinceSync = 0;
    try {
      const listed = await this.store.run((redis) =>
        redis.smembers(keys.instanceUsers(this.store.instanceId)),
      );
      await this.offline(
        listed.filter((id) => !this.socketCounts.has(id)),
        Date.now() + this.reservationMs,
      );
      await this.online([...this.socketCounts.keys()]);
    } catch (error) {
      this.outOfSync = true;
      throw error;
    }
  }

  private async reapDeadInstances(): Promise<void> {
    const { instanceId } = this.store;
    const others = (await this.store.run((redis) => redis.smembers(keys.instances))).filter(
      (id) => id !== instanceId,
    );
    for (const other of others) {
      const released = await this.store.run((redis) =>
        reapInstance.run(
          redis,
          [keys.instanceAlive(other), keys.instanceUsers(other), keys.instances, keys.expiring],
          [KEY_PREFIX, other, Date.now() + this.reservationMs],
        ),
      );
      if (typeof released === 'number' && released >= 0) {
        this.log.warn(`Instance ${other} stopped; its ${released} connected user(s) are now reserved`);
      }
    }
  }

  /** On shutdown: this instance's users are no longer connected here, and it leaves the set. */
  private async leave(): Promise<void> {
    clearInterval(this.heartbeat);
    const { instanceId } = this.store;
    const expiresAt = Date.now() + this.reservationMs;
    this.socketCounts.clear();
    await this.store.run(async (redis) => {
      await redis.del(keys.instanceAlive(instanceId));
      await reapInstance.run(
        redis,
        [keys.instanceAlive(instanceId), keys.instanceUsers(instanceId), keys.instances, keys.expiring],
        [KEY_PREFIX, instanceId, expiresAt],
      );
    });
  }

  private async runQuietly(update: () => Promise<void>): Promise<void> {
    try {
      await update();
    } catch (error) {
      this.outOfSync = true;
      this.log.debug(`presence update deferred to the next heartbeat: ${String(error)}`);
    }
  }
}
