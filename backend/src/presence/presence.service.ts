import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { PresenceChange, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { HEARTBEAT_MS } from '../sessions/connections.service.js';
import { PresenceRepository } from './presence.repository.js';

/** A user stays online this long past their instance's last renewal: an instance that dies lets go. */
const RENEWAL_TTL_MS = 3 * HEARTBEAT_MS;
/** Looks at who is online at most this often while changes pour in (a crowd connecting at once). */
const LOOK_DELAY_MS = 100;

/**
 * Who is online. A user with several tabs (on any instance) counts once, and goes offline only
 * when the last tab has been closed for PRESENCE_GRACE_MS, so a page reload does not flicker.
 * Each instance renews its connected users on every heartbeat, compares the shared list with what
 * it saw last, and tells its own clients the difference (`changed`): a change made anywhere, or an
 * instance that died, reaches everyone once, within a few seconds.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(PresenceService.name);
  private readonly graceMs: number;
  private readonly changes = new Subject<PresenceChange>();
  /** Who was online at the last look. Null before the first look. */
  private seen: Map<string, User> | null = null;
  private looking?: Promise<void>;
  private lookTimer?: NodeJS.Timeout;
  private readonly graceTimers = new Set<NodeJS.Timeout>();

  /** Changes this instance tells its own clients about (every instance sees every change once). */
  readonly changed = this.changes.asObservable();

  constructor(
    private readonly presence: PresenceRepository,
    events: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.graceMs = config.get('PRESENCE_GRACE_MS', { infer: true });
    events.on('user.connected', async ({ user }) => {
      await this.presence.renew([user], Date.now() + RENEWAL_TTL_MS);
      this.lookSoon();
    });
    events.on('user.disconnected', async ({ user }) => {
      await this.presence.expire(user.id, Date.now() + this.graceMs);
      // Look again once the grace period is over, rather than up to a heartbeat later.
      const timer = setTimeout(() => {
        this.graceTimers.delete(timer);
        this.lookSoon();
      }, this.graceMs + 50);
      timer.unref();
      this.graceTimers.add(timer);
    });
    events.on('connections.heartbeat', async ({ users }) => {
      if (users.length > 0) await this.presence.renew(users, Date.now() + RENEWAL_TTL_MS);
      await this.look();
    });
    events.on('user.released', async ({ userId }) => {
      await this.presence.remove(userId);
      this.lookSoon();
    });
  }

  /** Everyone online (or within their grace period), by name. */
  async online(): Promise<User[]> {
    return (await this.presence.online(Date.now())).sort((a, b) => a.name.localeCompare(b.name));
  }

  async onModuleInit(): Promise<void> {
    await this.look();
  }

  onModuleDestroy(): void {
    clearTimeout(this.lookTimer);
    for (const timer of this.graceTimers) clearTimeout(timer);
    this.changes.complete();
  }

  /** One look for a burst of changes. */
  private lookSoon(): void {
    this.lookTimer ??= setTimeout(() => {
      this.lookTimer = undefined;
      void this.look();
    }, LOOK_DELAY_MS);
  }

  /** One look at a time; a look asked for meanwhile waits for it and looks again. */
  private async look(): Promise<void> {
    while (this.looking) await this.looking;
    this.looking = this.compare()
      .catch((error: unknown) => this.log.debug(`presence look deferred: ${String(error)}`))
      .finally(() => (this.looking = undefined));
    return this.looking;
  }

  private async compare(): Promise<void> {
    const now = new Map((await this.presence.online(Date.now())).map((user) => [user.id, user]));
    const before = this.seen;
    this.seen = now;
    // The first look only learns who is there already (online through other instances).
    if (!before) return;
    for (const [id, user] of now) if (!before.has(id)) this.changes.next({ user, online: true });
    for (const [id, user] of before) if (!now.has(id)) this.changes.next({ user, online: false });
  }
}
