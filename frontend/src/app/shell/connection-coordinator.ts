import { Injectable, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { SessionSnapshot } from '@flack/contract';
import { ChannelsStore } from '../channels/channels-store';
import { MessagesStore } from '../chat/messages-store';
import { SessionStore, type SessionSync } from '../core/session-store';

/**
 * What a (re)connect means, in order, in one place: the snapshot goes to the channel list; then the
 * open channel is caught up (or, after a server restart, every channel joined again); only then
 * does the outbox send what was written meanwhile, so it lands in channels this person is in.
 *
 * It lives in shell/ because it is the one piece that needs both channels/ and chat/, which may
 * not import each other; each store keeps its own state and this only sequences them. It is the
 * only subscriber to `SessionStore.synced` that acts on other stores, so the order cannot depend
 * on which store happened to be created first. The signed-in frame (shell-page.ts) creates it.
 */
@Injectable({ providedIn: 'root' })
export class ConnectionCoordinator {
  private readonly channels = inject(ChannelsStore);
  private readonly messages = inject(MessagesStore);

  constructor() {
    inject(SessionStore)
      .synced.pipe(takeUntilDestroyed())
      .subscribe((sync) => void this.sync(sync));
  }

  private async sync(sync: SessionSync): Promise<void> {
    const joinedBefore = [...this.channels.joinedIds()];
    this.channels.applySnapshot(sync);
    if (sync.restarted) await this.rejoin(joinedBefore);
    else if (sync.reconnect) this.resyncOpen(sync.snapshot);
    this.messages.flushOutbox();
  }

  /**
   * Channels not on screen may have missed messages while offline: they are loaded again when
   * opened. The open one catches up now, or closes if this person left it meanwhile.
   */
  private resyncOpen(snapshot: SessionSnapshot): void {
    const open = this.channels.activeId();
    const stillJoined = open !== null && snapshot.joined.includes(open);
    this.messages.forgetAllExcept(stillJoined ? open : null);
    if (stillJoined) void this.messages.resync(open);
    else this.channels.close();
  }

  /**
   * After a server restart this is a new user in no channel, and every channel's `seq` started
   * over: join again the channels that exist (again), the open one last so it is the one the
   * server remembers, and reload its history.
   */
  private async rejoin(channelIds: readonly string[]): Promise<void> {
    const open = this.channels.activeId();
    this.messages.forgetAllExcept(null);
    const existing = new Set(this.channels.channels().map((channel) => channel.id));
    const again = channelIds.filter((id) => existing.has(id) && id !== open);
    if (open !== null && existing.has(open)) again.push(open);
    else this.channels.close();
    for (const id of again) {
      const joined = await this.channels.rejoin(id);
      if (joined && joined.channel.id === this.channels.activeId()) {
        this.messages.loadHistory(joined.channel.id, joined.messages);
      }
    }
  }
}
