import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { TypingState, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { TypingRepository } from './typing.repository.js';

/**
 * Who is typing where. A typist stays listed for TYPING_TIMEOUT_MS after their last "typing", so
 * someone who stops, leaves or loses their connection drops off on their own. Only changes to a
 * channel's list are announced, once, by the instance that saw the change (the Socket.IO adapter
 * carries it to every instance); a repeated "typing" just extends it. Each instance times out the
 * typists it recorded; if it dies, they still run out in the store, but the last list shown may
 * name them until the channel's next change.
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  private readonly log = new Logger(TypingService.name);
  private readonly timeoutMs: number;
  private readonly changes = new Subject<TypingState>();
  /** `${channel} ${userId}` → the expiry timer this instance runs. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** A channel's new list of typists, to send to its members. */
  readonly changed = this.changes.asObservable();

  constructor(
    private readonly typing: TypingRepository,
    events: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.timeoutMs = config.get('TYPING_TIMEOUT_MS', { infer: true });
    events.on('channel.left', ({ channelId, user }) => this.stop(channelId, user.id));
    // Typing in a tab that closed is over; another tab still typing says so again within seconds.
    events.on('user.disconnected', ({ user }) => this.stopEverywhere(user.id));
    events.on('user.released', ({ userId }) => this.stopEverywhere(userId));
  }

  async start(channel: string, user: User): Promise<void> {
    const now = Date.now();
    const isNew = await this.typing.start(channel, user, now + this.timeoutMs, now);
    const key = `${channel} ${user.id}`;
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(() => void this.remove(channel, user.id, true), this.timeoutMs + 10);
    timer.unref();
    this.timers.set(key, timer);
    if (isNew) this.changes.next({ channel, users: await this.typing.typists(channel, Date.now()) });
  }

  stop(channel: string, userId: string): Promise<void> {
    return this.remove(channel, userId, false);
  }

  onModuleDestroy(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.changes.complete();
  }

  /** Stops the user's typing in every channel this instance timed for them. */
  private async stopEverywhere(userId: string): Promise<void> {
    for (const key of [...this.timers.keys()]) {
      const [channel, typist] = key.split(' ');
      if (typist === userId) await this.remove(channel, userId, false);
    }
  }

  private async remove(channel: string, userId: string, onlyIfExpired: boolean): Promise<void> {
    const key = `${channel} ${userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    try {
      const remaining = await this.typing.stop(channel, userId, Date.now(), onlyIfExpired);
      if (remaining) this.changes.next({ channel, users: remaining });
    } catch (error) {
      // The store away: the entry runs out there on its own.
      this.log.debug(`typing update skipped: ${String(error)}`);
    }
  }
}
