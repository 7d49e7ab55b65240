import { Injectable, computed, inject, signal, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { User } from '@flack/contract';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { byName } from '../core/text';

/** The members of the channel on screen, loaded when it opens and kept up to date while it is. */
@Injectable({ providedIn: 'root' })
export class MembersStore {
  private readonly socket = inject(ChatSocket);
  private readonly current = signal<{ channel: string; members: readonly User[] } | null>(null);

  constructor() {
    this.socket
      .on('channel:membership')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel, user, joined }) =>
        this.current.update((current) => {
          if (current?.channel !== channel) return current;
          const others = current.members.filter((member) => member.id !== user.id);
          return { channel, members: joined ? [...others, user].sort(byName) : others };
        }),
      );
    inject(SessionStore)
      .signedOut.pipe(takeUntilDestroyed())
      .subscribe(() => this.current.set(null));
  }

  /** Null until loaded for that channel. */
  membersOf(channelId: Signal<string | null>): Signal<readonly User[] | null> {
    return computed(() => {
      const current = this.current();
      return current !== null && current.channel === channelId() ? current.members : null;
    });
  }

  async load(channelId: string): Promise<void> {
    try {
      const members = await this.socket.request('channel:members', { channel: channelId });
      this.current.set({ channel: channelId, members: members.sort(byName) });
    } catch {
      // Shown as "loading" until the next open; the channel itself still works.
    }
  }
}
