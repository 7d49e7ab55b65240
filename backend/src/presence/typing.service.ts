import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { TypingState, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';

interface Typist {
  user: User;
  expiry: NodeJS.Timeout;
}

/**
 * Who is typing where. A typist stays listed for `TYPING_TIMEOUT_MS` after their last "typing",
 * so someone who stops, leaves or loses their connection drops off on their own. Only changes to a
 * channel's list are announced; a repeated "typing" just extends it.
 */
@Injectable()
export class TypingService implements OnModuleDestroy {
  /** Channel id → user id → typist. */
  private readonly typists = new Map<string, Map<string, Typist>>();
  private readonly timeoutMs: number;
  private readonly changes = new Subject<TypingState>();

  readonly changed = this.changes.asObservable();

  constructor(config: ConfigService<Env, true>) {
    this.timeoutMs = config.get('TYPING_TIMEOUT_MS', { infer: true });
  }

  start(channel: string, user: User): void {
    let typists = this.typists.get(channel);
    if (!typists) this.typists.set(channel, (typists = new Map()));
    const known = typists.get(user.id);
    if (known) clearTimeout(known.expiry);
    typists.set(user.id, { user, expiry: setTimeout(() => this.stop(channel, user.id), this.timeoutMs) });
    if (!known) this.announce(channel);
  }

  stop(channel: string, userId: string): void {
    const typists = this.typists.get(channel);
    const typist = typists?.get(userId);
    if (!typists || !typist) return;
    clearTimeout(typist.expiry);
    typists.delete(userId);
    if (typists.size === 0) this.typists.delete(channel);
    this.announce(channel);
  }

  /** The user's last tab closed, or they left the channel: they type nowhere. */
  stopEverywhere(userId: string): void {
    for (const channel of [...this.typists.keys()]) this.stop(channel, userId);
  }

  typingIn(channel: string): User[] {
    return [...(this.typists.get(channel)?.values() ?? [])].map((typist) => typist.user);
  }

  onModuleDestroy(): void {
    for (const typists of this.typists.values())
      for (const typist of typists.values()) clearTimeout(typist.expiry);
    this.changes.complete();
  }

  private announce(channel: string): void {
    this.changes.next({ channel, users: this.typingIn(channel) });
  }
}
