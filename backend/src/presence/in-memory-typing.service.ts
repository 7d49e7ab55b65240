import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { TypingState, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { TypingService } from './typing.service.js';

interface Typist {
  user: User;
  expiry: NodeJS.Timeout;
}

/** Typists of one process, with a timer each. */
@Injectable()
export class InMemoryTypingService extends TypingService implements OnModuleDestroy {
  /** Channel id → user id → typist. */
  private readonly typists = new Map<string, Map<string, Typist>>();
  private readonly timeoutMs: number;
  private readonly changes = new Subject<TypingState>();

  readonly changed = this.changes.asObservable();

  constructor(config: ConfigService<Env, true>) {
    super();
    this.timeoutMs = config.get('TYPING_TIMEOUT_MS', { infer: true });
  }

  async start(channel: string, user: User): Promise<void> {
    let typists = this.typists.get(channel);
    if (!typists) this.typists.set(channel, (typists = new Map()));
    const known = typists.get(user.id);
    if (known) clearTimeout(known.expiry);
    const expiry = setTimeout(() => void this.stop(channel, user.id), this.timeoutMs);
    typists.set(user.id, { user, expiry });
    if (!known) this.announce(channel);
  }

  async stop(channel: string, userId: string): Promise<void> {
    const typists = this.typists.get(channel);
    const typist = typists?.get(userId);
    if (!typists || !typist) return;
    clearTimeout(typist.expiry);
    typists.delete(userId);
    if (typists.size === 0) this.typists.delete(channel);
    this.announce(channel);
  }

  async stopEverywhere(userId: string): Promise<void> {
    for (const channel of [...this.typists.keys()]) await this.stop(channel, userId);
  }

  private typingIn(channel: string): User[] {
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
