import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { mentionsName, type Message, type ReadState } from '@flack/contract';
import { fromEvent } from 'rxjs';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { ChannelsStore } from './channels-store';

/** What a channel shows in the list: unread messages and, apart, how many mention this person. */
export interface UnreadCount {
  unread: number;
  mentions: number;
}

const NONE: UnreadCount = { unread: 0, mentions: 0 };

/**
 * Unread counts per joined channel. The server keeps each person's read position, so every tab and
 * device agrees: counts come with the snapshot, follow `channel:read` from any tab, and grow with
 * live messages by others in channels this person is not reading right now. Reading means: the
 * channel is open and the tab is visible; then new messages are marked read as they come.
 */
@Injectable({ providedIn: 'root' })
export class UnreadStore {
  private readonly socket = inject(ChatSocket);
  private readonly session = inject(SessionStore);
  private readonly channels = inject(ChannelsStore);
  private readonly document = inject(DOCUMENT);

  private readonly states = signal<ReadonlyMap<string, ReadState>>(new Map());
  private readonly visible = signal(true);
  /**
   * Channel id → the newest seq counted from a live message: a retry is broadcast again (the server
   * cannot know the first broadcast went out), and one message counts once.
   */
  private readonly counted = new Map<string, number>();
  /** Channel id → the newest seq waiting to be reported read. */
  private readonly toReport = new Map<string, number>();
  private reporting = false;

  /** Unread messages over every joined channel, for the tab title. */
  readonly total = computed(() => {
    let total = 0;
    for (const state of this.states().values()) total += state.unread;
    return total;
  });
  readonly counts = computed(
    (): ReadonlyMap<string, UnreadCount> =>
      new Map([...this.states()].map(([id, { unread, mentions }]) => [id, { unread, mentions }])),
  );

  constructor() {
    this.visible.set(this.document.visibilityState !== 'hidden');
    fromEvent(this.document, 'visibilitychange')
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        this.visible.set(this.document.visibilityState !== 'hidden');
        const open = this.channels.activeId();
        if (this.visible() && open !== null) this.markRead(open);
      });
    this.session.synced.pipe(takeUntilDestroyed()).subscribe(({ snapshot }) => {
      this.counted.clear();
      this.states.set(new Map(snapshot.readStates.map((state) => [state.channel, state])));
    });
    this.socket
      .on('channel:read')
      .pipe(takeUntilDestroyed())
      .subscribe((state) => this.apply(state));
    this.socket
      .on('message:new')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => this.receive(message));
    this.socket
      .on('channel:left')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel }) =>
        this.states.update((states) => {
          const next = new Map(states);
          next.delete(channel);
          return next;
        }),
      );
    this.session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => this.states.set(new Map()));
  }

  countOf(channelId: string): UnreadCount {
    return this.counts().get(channelId) ?? NONE;
  }

  /** The newest seq this person had read in a channel (0 if never). */
  lastReadSeq(channelId: string): number {
    return this.states().get(channelId)?.lastReadSeq ?? 0;
  }

  /** Whether this person is looking at the channel right now. */
  isReading(channelId: string): boolean {
    return this.visible() && this.channels.activeId() === channelId;
  }

  /**
   * Marks a channel read up to `seq` (default: everything), for every tab. Reports are sent one at
   * a time per channel, the newest wins, so scrolling through a busy channel is a few requests.
   */
  markRead(channelId: string, seq = Number.MAX_SAFE_INTEGER): void {
    this.toReport.set(channelId, Math.max(seq, this.toReport.get(channelId) ?? 0));
    // Shown at once; the server's answer (and the other tabs) follow.
    const known = this.states().get(channelId);
    if (known && seq >= known.lastReadSeq) this.apply({ ...known, unread: 0, mentions: 0 });
    void this.report();
  }

  private async report(): Promise<void> {
    if (this.reporting) return;
    this.reporting = true;
    try {
      for (const [channel, seq] of this.toReport) {
        this.toReport.delete(channel);
        if (!this.socket.connected) continue;
        try {
          this.apply(await this.socket.request('channel:read', { channel, seq }));
        } catch {
          // Not a member any more, or offline: the next snapshot has the server's counts.
        }
      }
    } finally {
      this.reporting = false;
    }
    if (this.toReport.size > 0) void this.report();
  }

  private receive(message: Message): void {
    const user = this.session.user();
    if (!user || message.author.id === user.id || !this.channels.joinedIds().has(message.channel)) return;
    if (this.isReading(message.channel)) {
      this.markRead(message.channel, message.seq);
      return;
    }
    const known = this.states().get(message.channel) ?? {
      channel: message.channel,
      lastReadSeq: 0,
      unread: 0,
      mentions: 0,
    };
    if (message.seq <= Math.max(known.lastReadSeq, this.counted.get(message.channel) ?? 0)) return;
    this.counted.set(message.channel, message.seq);
    this.apply({
      ...known,
      unread: known.unread + 1,
      mentions: known.mentions + (mentionsName(message.text, user.name) ? 1 : 0),
    });
  }

  private apply(state: ReadState): void {
    this.states.update((states) => new Map(states).set(state.channel, state));
  }
}
