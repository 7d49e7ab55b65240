import { Injectable, computed, inject, signal, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Message } from '@flack/contract';
import { AlertStore } from '../core/alert-store';
import { toAppError } from '../core/app-error';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';

/** Where a message is on its way to the server. Only `sent` today; pending/failed come with the outbox. */
export type MessageStatus = 'sent';

export interface ChatMessage extends Message {
  status: MessageStatus;
}

/** Live messages beyond the stored history are kept up to this many per channel. */
export const KEEP_PER_CHANNEL = 500;

const NO_MESSAGES: readonly ChatMessage[] = [];

/**
 * Messages per channel, in `seq` order and each message once, however it arrived (history, the
 * ack of a send, the `message:new` broadcast, a catch-up after a reconnect). Only channels whose
 * history was loaded are tracked; live messages for any other channel are ignored.
 */
@Injectable({ providedIn: 'root' })
export class MessagesStore {
  private readonly socket = inject(ChatSocket);
  private readonly alerts = inject(AlertStore);
  private readonly byChannel = signal<ReadonlyMap<string, readonly ChatMessage[]>>(new Map());

  constructor() {
    this.socket
      .on('message:new')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => {
        if (this.byChannel().has(message.channel)) this.merge(message.channel, [message]);
      });
    inject(SessionStore)
      .signedOut.pipe(takeUntilDestroyed())
      .subscribe(() => this.byChannel.set(new Map()));
  }

  messagesIn(channelId: Signal<string | null>): Signal<readonly ChatMessage[]> {
    return computed(() => {
      const id = channelId();
      return (id !== null && this.byChannel().get(id)) || NO_MESSAGES;
    });
  }

  /** Starts tracking a channel with its stored history, keeping anything newer already received. */
  loadHistory(channelId: string, history: readonly Message[]): void {
    this.merge(channelId, history);
  }

  /** After a reconnect: fetches what was missed while offline. */
  async catchUp(channelId: string): Promise<void> {
    const known = this.byChannel().get(channelId);
    const afterSeq = known?.at(-1)?.seq;
    try {
      const page = await this.socket.request('channel:history', { channel: channelId, afterSeq });
      if (page.truncated) this.forget(channelId);
      this.merge(channelId, page.messages);
    } catch (error) {
      this.alerts.show('chat', toAppError(error));
    }
  }

  /** Sends a message; resolves false (with the error shown) when it was not stored. */
  async send(channelId: string, text: string): Promise<boolean> {
    try {
      const message = await this.socket.request('message:send', {
        channel: channelId,
        text,
        clientId: crypto.randomUUID(),
      });
      this.merge(channelId, [message]);
      this.alerts.dismiss('chat');
      return true;
    } catch (error) {
      this.alerts.show('chat', toAppError(error));
      return false;
    }
  }

  /** Stops tracking a channel: it was left, or its history was cut short. */
  forget(channelId: string): void {
    this.retain((id) => id !== channelId);
  }

  /** After a reconnect, channels not on screen may have missed messages: reload them when opened. */
  forgetAllExcept(channelId: string | null): void {
    this.retain((id) => id === channelId);
  }

  private retain(keep: (channelId: string) => boolean): void {
    this.byChannel.update((map) => new Map([...map].filter(([id]) => keep(id))));
  }

  private merge(channelId: string, incoming: readonly Message[]): void {
    this.byChannel.update((map) => {
      const next = new Map(map);
      next.set(channelId, mergeMessages(map.get(channelId) ?? NO_MESSAGES, incoming));
      return next;
    });
  }
}

/** Adds messages to a `seq`-ordered list, each `id` once; the newest KEEP_PER_CHANNEL stay. */
export function mergeMessages(
  list: readonly ChatMessage[],
  incoming: readonly Message[],
): readonly ChatMessage[] {
  const known = new Set(list.map((message) => message.id));
  const added = incoming
    .filter((message) => !known.has(message.id) && known.add(message.id))
    .map((message): ChatMessage => ({ ...message, status: 'sent' }));
  if (added.length === 0) return list;
  const merged = [...list, ...added].sort((a, b) => a.seq - b.seq);
  return merged.slice(-KEEP_PER_CHANNEL);
}
