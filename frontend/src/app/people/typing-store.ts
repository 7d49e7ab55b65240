import { DestroyRef, Injectable, computed, inject, signal, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { User } from '@flack/contract';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';

/** While typing, "typing" is repeated this often; the server forgets it after a few seconds more. */
export const TYPING_REPEAT_MS = 3_000;

const NOBODY: readonly User[] = [];

/**
 * Who is typing where (as the server says, without this person), and telling the server when this
 * person types: at most once per TYPING_REPEAT_MS, and "stopped" on send or when the field empties.
 */
@Injectable({ providedIn: 'root' })
export class TypingStore {
  private readonly socket = inject(ChatSocket);
  private readonly session = inject(SessionStore);
  private readonly typists = signal<ReadonlyMap<string, readonly User[]>>(new Map());
  /** Channel id → when "typing" was last sent for it. */
  private readonly lastSent = new Map<string, number>();

  constructor() {
    this.socket
      .on('typing')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel, users }) => this.set(channel, users));
    // Someone whose message just arrived has stopped typing it.
    this.socket
      .on('message:new')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel, author }) =>
        this.set(
          channel,
          (this.typists().get(channel) ?? NOBODY).filter((user) => user.id !== author.id),
        ),
      );
    // After a reconnect the server announces again whoever is still typing.
    this.session.synced.pipe(takeUntilDestroyed()).subscribe(() => this.typists.set(new Map()));
    this.session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => {
      this.typists.set(new Map());
      this.lastSent.clear();
    });
    inject(DestroyRef).onDestroy(() => this.lastSent.clear());
  }

  /** "alice is typing…", "alice and bob are typing…", "several people are typing…", or null. */
  sentenceFor(channelId: Signal<string | null>): Signal<string | null> {
    return computed(() => {
      const id = channelId();
      return id === null ? null : describeTypists(this.typists().get(id) ?? NOBODY);
    });
  }

  /** This person typed in a channel's composer. */
  typed(channelId: string): void {
    const now = Date.now();
    if (now - (this.lastSent.get(channelId) ?? 0) < TYPING_REPEAT_MS || !this.socket.connected) return;
    this.lastSent.set(channelId, now);
    this.socket.request('typing:start', { channel: channelId }).catch(() => undefined);
  }

  /** This person sent, or emptied the field. */
  stopped(channelId: string): void {
    if (!this.lastSent.delete(channelId) || !this.socket.connected) return;
    this.socket.request('typing:stop', { channel: channelId }).catch(() => undefined);
  }

  private set(channelId: string, users: readonly User[]): void {
    const me = this.session.user()?.id;
    const others = users.filter((user) => user.id !== me);
    const known = this.typists().get(channelId) ?? NOBODY;
    if (others.length === known.length && others.every((user, i) => user.id === known[i].id)) return;
    this.typists.update((map) => {
      const next = new Map(map);
      if (others.length === 0) next.delete(channelId);
      else next.set(channelId, others);
      return next;
    });
  }
}

export function describeTypists(users: readonly User[]): string | null {
  if (users.length === 0) return null;
  if (users.length === 1) return `${users[0].name} is typing…`;
  if (users.length === 2) return `${users[0].name} and ${users[1].name} are typing…`;
  return 'Several people are typing…';
}
