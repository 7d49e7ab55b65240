import { Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { TypingState, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { TypingService } from './typing.service.js';

const keys = {
  /** User id → until when they count as typing there (epoch ms). */
  typists: (channel: string) => `${KEY_PREFIX}typing:${channel}`,
  /** User id → the user as JSON. */
  users: `${KEY_PREFIX}typing:users`,
};

/**
 * Records a typist until ARGV[2]; answers 1 when they were not typing there before (a change to
 * announce). KEYS: the channel's typists, users. ARGV: user id, until, now, user JSON.
 */
const start = new RedisScript(`
local before = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
-- The key outlives its last typist by a minute: the timers that announce expiries must still find it.
redis.call('PEXPIREAT', KEYS[1], tonumber(ARGV[2]) + 60000)
if before and tonumber(before) > tonumber(ARGV[3]) then return 0 end
return 1`);

/**
 * Removes a typist whose time ran out (or at once when ARGV[2] is 'now'), and answers the users
 * still typing there, or nil when nothing changed. KEYS: the channel's typists, users. ARGV: user
 * id, 'now' | 'expired', now.
 */
const stop = new RedisScript(`
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return nil end
if ARGV[2] == 'expired' and tonumber(score) > tonumber(ARGV[3]) then return nil end
redis.call('ZREM', KEYS[1], ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[3], '+inf')
if #ids == 0 then return {} end
return redis.call('HMGET', KEYS[2], unpack(ids))`);

/**
 * Typists shared by every instance through Redis, so a channel's list is the same whichever
 * instance its members are on. The instance that sees a change announces the whole list (the
 * Socket.IO adapter carries it to every instance); each instance times out the typists it
 * recorded. If an instance dies, its typists still expire in Redis, but the last list shown may
 * name them until the channel's next change.
 */
export class RedisTypingService extends TypingService implements OnModuleDestroy {
  private readonly log = new Logger(RedisTypingService.name);
  private readonly timeoutMs: number;
  private readonly changes = new Subject<TypingState>();
  /** `${channel} ${userId}` → the expiry timer this instance runs. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  readonly changed = this.changes.asObservable();

  constructor(
    private readonly store: RedisStore,
    config: ConfigService<Env, true>,
  ) {
    super();
    this.timeoutMs = config.get('TYPING_TIMEOUT_MS', { infer: true });
  }

  async start(channel: string, user: User): Promise<void> {
    const now = Date.now();
    const isNew = await this.store.run((redis) =>
      start.run(
        redis,
        [keys.typists(channel), keys.users],
        [user.id, now + this.timeoutMs, now, JSON.stringify(user)],
      ),
    );
    const key = `${channel} ${user.id}`;
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => void this.remove(channel, user.id, 'expired'), this.timeoutMs + 10),
    );
    if (isNew === 1) await this.announce(channel);
  }

  stop(channel: string, userId: string): Promise<void> {
    return this.remove(channel, userId, 'now');
  }

  async stopEverywhere(userId: string): Promise<void> {
    for (const key of [...this.timers.keys()]) {
      const [channel, typist] = key.split(' ');
      if (typist === userId) await this.remove(channel, userId, 'now');
    }
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.changes.complete();
  }

  private async remove(channel: string, userId: string, when: 'now' | 'expired'): Promise<void> {
    const key = `${channel} ${userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    try {
      const remaining = (await this.store.run((redis) =>
        stop.run(redis, [keys.typists(channel), keys.users], [userId, when, Date.now()]),
      )) as (string | null)[] | null;
      if (remaining) this.changes.next({ channel, users: parseUsers(remaining) });
    } catch (error) {
      // Redis away: the entry expires there on its own.
      this.log.debug(`typing update skipped: ${String(error)}`);
    }
  }

  private async announce(channel: string): Promise<void> {
    const now = Date.now();
    const json = await this.store.run(async (redis) => {
      const ids = await redis.zrangebyscore(keys.typists(channel), `(${now}`, '+inf');
      return ids.length === 0 ? [] : redis.hmget(keys.users, ...ids);
    });
    this.changes.next({ channel, users: parseUsers(json) });
  }
}

function parseUsers(json: (string | null)[]): User[] {
  return json.filter((entry): entry is string => entry !== null).map((entry) => JSON.parse(entry) as User);
}
