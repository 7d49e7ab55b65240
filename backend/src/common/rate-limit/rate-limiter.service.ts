import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Env } from '../../config/env.js';
import { rateLimiterStore } from '../../redis/rate-limiter-store.js';
import { EventBus } from '../../events/event-bus.js';
import { RedisStore } from '../../redis/redis-store.js';
import { AppError } from '../app-error.js';

/** What is limited, each counted per user (per IP address for name claims, made before a session). */
export type RateLimitKind =
  'message' | 'channelCreate' | 'membership' | 'history' | 'nameClaim' | 'topic' | 'search';

type Limiter = Pick<RateLimiterMemory, 'consume'>;

const MESSAGES: Record<RateLimitKind, string> = {
  message: 'You are sending messages too fast.',
  channelCreate: 'You are creating channels too fast.',
  membership: 'You are joining and leaving channels too fast.',
  history: 'You are asking for history too fast.',
  nameClaim: 'Too many names claimed from your address.',
  search: 'You are searching too fast.',
  topic: 'You are changing topics too fast.',
};

/**
 * Flood control through rate-limiter-flexible. Entries expire with their window, so memory stays
 * bounded however many users come and go.
 */
@Injectable()
export class RateLimiter {
  private readonly limiters: Record<RateLimitKind, Limiter>;
  /** The counters kept per user (not per address), forgotten with the user. */
  private readonly perUser: RateLimiterAbstract[] = [];

  constructor(
    config: ConfigService<Env, true>,
    @Inject(RedisStore) redis: RedisStore | null,
    events: EventBus,
  ) {
    // In memory, or shared by every instance through Redis when REDIS_URL is set.
    const createShared = rateLimiterStore(redis);
    const create = (options: Parameters<typeof createShared>[0], perUser = true) => {
      const limiter = createShared(options);
      if (perUser) this.perUser.push(limiter);
      return limiter;
    };
    const perSecond = config.get('MESSAGE_RATE_PER_SECOND', { infer: true });
    const burst = config.get('MESSAGE_BURST', { infer: true });
    // The steady limiter allows `perSecond`; the burst one lends the rest of `burst` on top, refilled
    // over ten seconds, so a quick exchange never hits the limit but a flood does.
    const steady = create({ keyPrefix: 'message', points: perSecond, duration: 1 });
    const message =
      burst > perSecond
        ? new BurstyRateLimiter(
            steady,
            create({ keyPrefix: 'message-burst', points: burst - perSecond, duration: 10 }),
          )
        : steady;
    this.limiters = {
      message,
      channelCreate: create({
        keyPrefix: 'channel-create',
        points: config.get('CHANNEL_CREATES_PER_MINUTE', { infer: true }),
        duration: 60,
      }),
      membership: create({
        keyPrefix: 'membership',
        points: config.get('CHANNEL_JOINS_PER_MINUTE', { infer: true }),
        duration: 60,
      }),
      history: create({
        keyPrefix: 'history',
        points: config.get('HISTORY_REQUESTS_PER_MINUTE', { infer: true }),
        duration: 60,
      }),
      topic: create({
        keyPrefix: 'topic',
        points: config.get('TOPIC_CHANGES_PER_MINUTE', { infer: true }),
        duration: 60,
      }),
      search: create({
        keyPrefix: 'search',
        points: config.get('SEARCHES_PER_MINUTE', { infer: true }),
        duration: 60,
      }),
      nameClaim: create(
        {
          keyPrefix: 'name-claim',
          points: config.get('NAME_CLAIMS_PER_MINUTE', { infer: true }),
          duration: 60,
        },
        false,
      ),
    };
    events.on('user.released', ({ userId }) => this.forget(userId));
  }

  /** A released user's counters go with them (they would expire within a minute anyway). */
  private async forget(userId: string): Promise<void> {
    await Promise.all(this.perUser.map((limiter) => limiter.delete(userId)));
  }

  /**
   * Counts one action; rejects with RATE_LIMITED and `retryAfterMs` when over the limit. (One
   * `then` on the limiter's promise, not an async function around it: this runs on every message.)
   */
  consume(kind: RateLimitKind, key: string): Promise<unknown> {
    return this.limiters[kind].consume(key).then(undefined, this.refusals[kind]);
  }

  /** What a refusal of each kind becomes: one function per kind, made once. */
  private readonly refusals = Object.fromEntries(
    Object.entries(MESSAGES).map(([kind, message]) => [
      kind,
      (rejection: unknown): never => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
        throw new AppError('RATE_LIMITED', `${message} Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
          retryAfterMs,
        });
      },
    ]),
  ) as Record<RateLimitKind, (rejection: unknown) => never>;
}
