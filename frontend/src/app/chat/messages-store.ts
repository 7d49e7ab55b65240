import { Injectable, computed, inject, signal, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  isAfterGap,
  lastContiguousSeq,
  replyExcerpt,
  stillToArrive,
  withCatchUp,
  withHistory,
  withMessages,
  type ChannelView,
  type Message,
  type User,
} from '@flack/contract';
import { AlertStore } from '../core/alert-store';
import { toAppError } from '../core/app-error';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { Outbox, type OutboxAttachment, type OutboxEntry } from './outbox';

/** Where a message is: stored by the server, on its way, or given up on until the person says Retry. */
export type DeliveryStatus = 'sent' | 'pending' | 'failed';

export interface ChatMessage extends Message {
  status: DeliveryStatus;
  /** Why a failed message was not stored. */
  failure?: string;
  /** An unsent message's files, by upload (files/uploads-store.ts): shown with their progress. */
  attachments?: readonly OutboxAttachment[];
}

/** Pause before asking again for missed messages when the server did not answer. */
const CATCH_UP_RETRY_MS = 1_000;

/**
 * How long a gap in live seqs may stay open before the history is asked for it. Messages written
 * through different server instances can arrive a few milliseconds out of order (each instance
 * broadcasts as soon as it stored); the missing one nearly always follows within this.
 */
export const GAP_WAIT_MS = 300;

/** Everything in a channel's view was stored by the server (the sync rules are contract/src/sync.ts). */
const asSent = (message: Message): ChatMessage => ({ ...message, status: 'sent' });

interface CatchUp {
  running: Promise<void>;
  /** Asked again while running (a reconnect or a new gap): run once more when done. */
  wanted: boolean;
}

const NO_MESSAGES: readonly ChatMessage[] = [];

/**
 * Messages per channel, in `seq` order and each once, however they arrived (history, the
 * `message:new` broadcast, a catch-up), followed by what this person wrote that the server has not
 * acknowledged yet. The ack of a send names the stored message (`id`, `seq`, `createdAt`) and the
 * broadcast brings it whole, in either order: until it does, the message is shown as sent from what
 * was written. A gap in `seq` (an acknowledged message that has not arrived counts as one) is filled
 * by asking for what came after the last message without one before it; after every (re)connect the
 * open channel asks the same, so a reconnect never leaves a hole the server could fill. Only
 * channels whose history was loaded are tracked.
 */
@Injectable({ providedIn: 'root' })
export class MessagesStore {
  private readonly socket = inject(ChatSocket);
  private readonly alerts = inject(AlertStore);
  private readonly session = inject(SessionStore);
  private readonly outbox = inject(Outbox);
  private readonly views = signal<ReadonlyMap<string, ChannelView<ChatMessage>>>(new Map());
  private readonly catchUps = new Map<string, CatchUp>();
  /** Channel id → the timer of a gap waiting to be filled by a late live message. */
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * Channel id → this person's messages the server acknowledged that have not arrived yet, as the
   * outbox knows them (what was written, with the ack's id, seq and time). Each goes as soon as the
   * channel's view holds its seq; kept apart from the views, which hold only what the server sent,
   * so a catch-up still asks for them.
   */
  private readonly acknowledged = signal<ReadonlyMap<string, readonly ChatMessage[]>>(new Map());

  /**
   * What this person wrote and the server has not stored, in every conversation, oldest first:
   * for the shell's notice of messages no channel page shows (shell/unsent-notice.ts).
   */
  readonly unsent = this.outbox.entries;

  constructor() {
    this.socket
      .on('message:new')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => this.receive(message));
    this.socket
      .on('message:updated')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => this.update(message.channel, (view) => withMessages(view, [message], asSent)));
    // Left here or in another tab (the server tells every tab): its messages stop showing.
    this.socket
      .on('channel:left')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel }) => this.retain((id) => id !== channel));
    this.outbox.delivered.pipe(takeUntilDestroyed()).subscribe((message) => this.acknowledge(message));
    this.session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => {
      this.views.set(new Map());
      this.acknowledged.set(new Map());
    });
  }

  /** The channel's stored messages (deleted ones left out), then this person's pending and failed ones. */
  messagesIn(channelId: Signal<string | null>): Signal<readonly ChatMessage[]> {
    const shown = computed(() => {
      const id = channelId();
      const stored = (id !== null && this.views().get(id)?.messages) || NO_MESSAGES;
      return stored.some((message) => message.deletedAt) ? stored.filter((m) => !m.deletedAt) : stored;
    });
    const withAcknowledged = computed(() => {
      const id = channelId();
      const stored = shown();
      const coming = (id !== null && this.acknowledged().get(id)) || NO_MESSAGES;
      return coming.length === 0 ? stored : [...stored, ...coming].sort((a, b) => a.seq - b.seq);
    });
    return computed(() => {
      const id = channelId();
      if (id === null) return NO_MESSAGES;
      const stored = withAcknowledged();
      const author = this.session.user();
      const waiting = this.outbox.entries().filter((entry) => entry.channel === id);
      if (waiting.length === 0 || author === null) return stored;
      // The broadcast of a message can come before its ack: then it is stored, not pending.
      const storedIds = new Set(stored.filter((m) => m.author.id === author.id).map((m) => m.clientId));
      const unsent = waiting.filter((entry) => !storedIds.has(entry.clientId));
      return unsent.length === 0
        ? stored
        : [...stored, ...unsent.map((entry) => unsentMessage(entry, author))];
    });
  }

  /** Starts tracking a channel with the history a join returned, keeping anything newer already received. */
  loadHistory(channelId: string, history: readonly Message[]): void {
    this.update(channelId, (view) => withHistory(view, history, asSent));
  }

  /**
   * Fetches what came after the last message with none missing before it. A call while one runs
   * makes it run again afterwards, so a reconnect in the middle of catching up leaves no hole.
   */
  catchUp(channelId: string): Promise<void> {
    const running = this.catchUps.get(channelId);
    if (running) {
      running.wanted = true;
      return running.running;
    }
    const state = { wanted: true } as CatchUp;
    this.catchUps.set(channelId, state);
    state.running = this.runCatchUps(channelId, state).finally(() => this.catchUps.delete(channelId));
    return state.running;
  }

  /**
   * After a reconnect: fills the gap, then reloads the stored history into the view, which brings
   * in edits and deletions made while this client was away (they do not change any `seq`).
   */
  async resync(channelId: string): Promise<void> {
    await this.catchUp(channelId);
    if (!this.views().has(channelId) || !this.socket.connected) return;
    try {
      const page = await this.socket.request('channel:history', { channel: channelId });
      this.update(channelId, (view) => withMessages(view, page.messages, asSent));
    } catch {
      // The next reconnect tries again; what is shown is still right up to the edits.
    }
  }

  /** Changes the text of one of this person's messages; resolves false (error shown) if refused. */
  async edit(channelId: string, id: string, text: string): Promise<boolean> {
    return this.change(() => this.socket.request('message:edit', { channel: channelId, id, text }));
  }

  /** Deletes one of this person's messages; resolves false (error shown) if refused. */
  async delete(channelId: string, id: string): Promise<boolean> {
    return this.change(() => this.socket.request('message:delete', { channel: channelId, id }));
  }

  /**
   * Queues a message: it shows at once as pending (with its quote, for a reply to `replyTo`) and is
   * sent as soon as the connection allows.
   */
  send(
    channelId: string,
    text: string,
    replyTo: Message | null = null,
    attachments: OutboxAttachment[] = [],
  ): void {
    const quote = replyTo && {
      id: replyTo.id,
      seq: replyTo.seq,
      author: replyTo.author,
      excerpt: replyExcerpt(replyTo.text),
    };
    this.outbox.write(channelId, text, quote ?? undefined, attachments);
  }

  /** Adds this person's `emoji` to a message; resolves false (error shown) if refused. */
  async react(channelId: string, id: string, emoji: string): Promise<boolean> {
    return this.change(() => this.socket.request('message:react', { channel: channelId, id, emoji }));
  }

  /** Takes this person's `emoji` off a message; resolves false (error shown) if refused. */
  async unreact(channelId: string, id: string, emoji: string): Promise<boolean> {
    return this.change(() => this.socket.request('message:unreact', { channel: channelId, id, emoji }));
  }

  retry(clientId: string): void {
    this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    this.outbox.discard(clientId);
  }

  /** Sends what waits in the outbox; after a (re)connect, once the channels are joined again. */
  flushOutbox(): void {
    void this.outbox.flush();
  }

  /** Channels not on screen may miss messages while offline: they are loaded again when opened. */
  forgetAllExcept(channelId: string | null): void {
    this.retain((id) => id === channelId);
  }

  private async change(request: () => Promise<Message>): Promise<boolean> {
    try {
      const message = await request();
      this.update(message.channel, (view) => withMessages(view, [message], asSent));
      this.alerts.dismiss('chat');
      return true;
    } catch (error) {
      this.alerts.show('chat', toAppError(error));
      return false;
    }
  }

  /**
   * A send the server acknowledged: shown as sent until its broadcast (or a catch-up) brings the
   * stored message, which may have come already. If it does not come within GAP_WAIT_MS (its
   * broadcast was missed, say by a socket that reconnected meanwhile), the history is asked for it.
   */
  private acknowledge(message: Message): void {
    const view = this.views().get(message.channel);
    if (!view || !stillToArrive(view, message)) return;
    this.acknowledged.update((map) =>
      new Map(map).set(message.channel, [...(map.get(message.channel) ?? []), asSent(message)]),
    );
    this.awaitGap(message.channel);
  }

  /** Lets the first message after a live one with a gap before it trigger a catch-up. */
  private receive(message: Message): void {
    const view = this.views().get(message.channel);
    if (!view) return;
    this.update(message.channel, (current) => withMessages(current, [message], asSent));
    const updated = this.views().get(message.channel);
    if (updated && isAfterGap(updated, message)) this.awaitGap(message.channel);
  }

  /** Asks the history for a gap only if it is still open after GAP_WAIT_MS. */
  private awaitGap(channelId: string): void {
    if (this.gapTimers.has(channelId)) return;
    this.gapTimers.set(
      channelId,
      setTimeout(() => {
        this.gapTimers.delete(channelId);
        const view = this.views().get(channelId);
        const newest = view?.messages.at(-1);
        const stillComing = this.acknowledged().has(channelId);
        if (view && (stillComing || (newest && isAfterGap(view, newest)))) void this.catchUp(channelId);
      }, GAP_WAIT_MS),
    );
  }

  private async runCatchUps(channelId: string, state: CatchUp): Promise<void> {
    while (state.wanted) {
      state.wanted = false;
      const view = this.views().get(channelId);
      // Not tracked any more, or offline: the next connect asks again.
      if (!view || !this.socket.connected) return;
      const afterSeq = lastContiguousSeq(view);
      try {
        const page = await this.socket.request('channel:history', { channel: channelId, afterSeq });
        this.update(channelId, (current) => withCatchUp(current, page, asSent));
      } catch (caught) {
        const error = toAppError(caught);
        if (error.code !== 'TIMEOUT' && error.code !== 'OFFLINE') {
          this.alerts.show('chat', error);
          return;
        }
        // No answer while connected: ask again shortly. Disconnected: the reconnect asks.
        if (!this.socket.connected) return;
        state.wanted = true;
        await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS));
      }
    }
  }

  /**
   * Changes a tracked channel's view; untracked channels stay untracked, except for a history load.
   * An acknowledged message the view now holds is shown from the view.
   */
  private update(
    channelId: string,
    change: (view: ChannelView<ChatMessage> | undefined) => ChannelView<ChatMessage> | undefined,
  ): void {
    this.views.update((map) => {
      const current = map.get(channelId);
      const next = change(current);
      if (next === current || next === undefined) return map;
      return new Map(map).set(channelId, next);
    });
    const coming = this.acknowledged().get(channelId);
    if (!coming) return;
    const view = this.views().get(channelId);
    const still = view ? coming.filter((message) => stillToArrive(view, message)) : [];
    if (still.length === coming.length) return;
    this.acknowledged.update((map) => {
      const next = new Map(map);
      if (still.length === 0) next.delete(channelId);
      else next.set(channelId, still);
      return next;
    });
  }

  private retain(keep: (channelId: string) => boolean): void {
    this.views.update((map) => new Map([...map].filter(([id]) => keep(id))));
    this.acknowledged.update((map) =>
      [...map.keys()].every(keep) ? map : new Map([...map].filter(([id]) => keep(id))),
    );
  }
}

function unsentMessage(entry: OutboxEntry, author: User): ChatMessage {
  return {
    id: `unsent:${entry.clientId}`,
    channel: entry.channel,
    seq: -1,
    author,
    text: entry.text,
    createdAt: entry.writtenAt,
    clientId: entry.clientId,
    ...(entry.replyTo ? { replyTo: entry.replyTo } : {}),
    ...(entry.attachments?.length ? { attachments: entry.attachments } : {}),
    status: entry.failure === null ? 'pending' : 'failed',
    ...(entry.failure === null ? {} : { failure: entry.failure }),
  };
}
