import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { PresenceChange, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { PresenceService } from './presence.service.js';

/** How often each instance renews its users and looks at the shared list for changes. */
const SCAN_MS = 2_000;
/** A user stays online this long past their instance's last renewal: an instance that dies lets go. */
const RENEWAL_TTL_MS = 3 * SCAN_MS;

const keys = {
  /** User id → until when they count as online (epoch ms). */
  online: `${KEY_PREFIX}presence:online`,
  /** User id → the user as JSON, for listing. */
  users: `${KEY_PREFIX}presence:users`,
};

/**
 * Drops users whose time ran out and answers everyone still online, in one step.
 * KEYS: online, users. ARGV: now. Answers the JSON of each online user.
 */
const readOnline = new RedisScript(`
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #expired > 0 then
  redis.call('ZREM', KEYS[1], unpack(expired))
  redis.call('HDEL', KEYS[2], unpack(expired))
end
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
if #ids == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(ids))`);

/**
 * Presence shared by every instance through Redis: a sorted set of who is online until when.
 * Each instance keeps its own socket counts, renews its users every few seconds, and on its last
 * socket of a user lets them run out after the grace period (a tab on another instance renews
 * them meanwhile). Each instance compares the shared list with what it last saw and tells its own
 * clients the difference, so a change made anywhere, or an instance that died, reaches everyone
 * within a few seconds, once.
 */
export class RedisPresenceService extends PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(RedisPresenceService.name);
  private readonly graceMs: number;
  /** Users with sockets on this instance, and how many. */
  private readonly local = new Map<string, { user: User; sockets: number }>();
  /** Who was online at the last look, to tell what changed. Null before the first look. */
  private seen: Map<string, User> | null = null;
  private readonly changes = new Subject<PresenceChange>();
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private scanAgain = false;

  readonly changed = this.changes.asObservable();

  constructor(
    private readonly store: RedisStore,
    config: ConfigService<Env, true>,
  ) {
    super();
    this.graceMs = config.get('PRESENCE_GRACE_MS', { infer: true });
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.scan(), SCAN_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.changes.complete();
  }

  connected(user: User): void {
    const entry = this.local.get(user.id);
    if (entry) {
      entry.sockets++;
      return;
    }
    this.local.set(user.id, { user, sockets: 1 });
    void this.write(async (redis) => {
      await redis.hset(keys.users, user.id, JSON.stringify(user));
      await redis.zadd(keys.online, 'GT', Date.now() + RENEWAL_TTL_MS, user.id);
    });
  }

  disconnected(user: User): void {
    const entry = this.local.get(user.id);
    if (!entry || --entry.sockets > 0) return;
    this.local.delete(user.id);
    // Runs out after the grace period unless a tab here or elsewhere renews it; GT keeps a later
    // time another instance set.
    void this.write((redis) => redis.zadd(keys.online, 'GT', Date.now() + this.graceMs, user.id));
    // Look again once the grace period is over, rather than up to a scan later.
    setTimeout(() => void this.scan(), this.graceMs + 50).unref();
  }

  async online(): Promise<User[]> {
    return (await this.readShared()).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One look at a time; a look asked for meanwhile runs right after. */
  private scan(): Promise<void> {
    if (this.scanning) {
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = this.renewAndCompare()
      .catch((error: unknown) => this.log.debug(`presence scan deferred: ${String(error)}`))
      .finally(() => {
        this.scanning = undefined;
        if (this.scanAgain) {
          this.scanAgain = false;
          void this.scan();
        }
      });
    return this.scanning;
  }

  private async renewAndCompare(): Promise<void> {
    const until = Date.now() + RENEWAL_TTL_MS;
    if (this.local.size > 0) {
      const users = [...this.local.values()].map(({ user }) => user);
      await this.store.run(async (redis) => {
        await redis.hset(
          keys.users,
          Object.fromEntries(users.map((user) => [user.id, JSON.stringify(user)])),
        );
        await redis.zadd(keys.online, 'GT', ...users.flatMap((user) => [until, user.id]));
      });
    }
    const now = new Map((await this.readShared()).map((user) => [user.id, user]));
    const before = this.seen;
    this.seen = now;
    if (!before) return;
    for (const [id, user] of now) if (!before.has(id)) this.changes.next({ user, online: true });
    for (const [id, user] of before) if (!now.has(id)) this.changes.next({ user, online: false });
  }

  private async readShared(): Promise<User[]> {
    const answer = (await this.store.run((redis) =>
      readOnline.run(redis, [keys.online, keys.users], [Date.now()]),
    )) as (string | null)[];
    return answer.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as User);
  }

  /** A write that may fail while Redis is away: the next scan renews what this instance has. */
  private async write(commands: Parameters<RedisStore['run']>[0]): Promise<void> {
    try {
      await this.store.run(commands);
    } catch (error) {
      this.log.debug(`presence update deferred: ${String(error)}`);
    }
    await this.scan();
  }
}
