import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { User } from '@flack/contract';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { byName } from '../core/text';

/** Who is online: from the snapshot after every (re)connect, then the server's presence changes. */
@Injectable({ providedIn: 'root' })
export class PresenceStore {
  private readonly users = signal<ReadonlyMap<string, User>>(new Map());

  /** Everyone online, this person included, by name. */
  readonly online = computed(() => [...this.users().values()].sort(byName));
  readonly onlineIds = computed((): ReadonlySet<string> => new Set(this.users().keys()));

  constructor() {
    const session = inject(SessionStore);
    session.synced
      .pipe(takeUntilDestroyed())
      .subscribe(({ snapshot }) => this.users.set(new Map(snapshot.online.map((user) => [user.id, user]))));
    inject(ChatSocket)
      .on('presence:changed')
      .pipe(takeUntilDestroyed())
      .subscribe((changes) =>
        this.users.update((users) => {
          const next = new Map(users);
          for (const { user, online } of changes) {
            if (online) next.set(user.id, user);
            else next.delete(user.id);
          }
          return next;
        }),
      );
    session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => this.users.set(new Map()));
  }

  isOnline(userId: string): boolean {
    return this.users().has(userId);
  }
}
