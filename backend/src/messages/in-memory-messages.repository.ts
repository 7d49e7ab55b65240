import { Injectable } from '@nestjs/common';
import { LIMITS, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { RingBuffer } from './ring-buffer.js';
import {
  MessagesRepository,
  type AppendResult,
  type ChangeResult,
  type MessageChange,
  type MessageDraft,
} from './messages.repository.js';

/**
 * How many recent `clientId`s are remembered for deduplication, server-wide. A retry comes within
 * seconds; this bound keeps memory flat however long the server runs.
 */
const DEDUP_CAPACITY = 50_000;

interface ChannelHistory {
  buffer: RingBuffer<Message>;
  lastSeq: number;
}

@Injectable()
export class InMemoryMessagesRepository extends MessagesRepository {
  private readonly histories = new Map<string, ChannelHistory>();
  /** `${authorId} ${clientId}` → stored message. */
  private readonly byClientId = new Map<string, Message>();
  /**
   * The same keys, oldest first, to evict in O(1). Deleting the Map's first key instead gets slower
   * as deleted entries pile up at its front, and this runs on every message.
   */
  private readonly dedupOrder = new RingBuffer<string>(DEDUP_CAPACITY);

  async append(draft: MessageDraft): Promise<AppendResult> {
    const dedupKey = `${draft.author.id} ${draft.clientId}`;
    const stored = this.byClientId.get(dedupKey);
    if (stored) return { message: stored, duplicate: true };

    const history = this.historyOf(draft.channel);
    const message: Message = {
      id: randomUUID(),
      channel: draft.channel,
      seq: ++history.lastSeq,
      author: draft.author,
      text: draft.text,
      createdAt: new Date().toISOString(),
      clientId: draft.clientId,
    };
    history.buffer.push(message);
    this.remember(dedupKey, message);
    return { message, duplicate: false };
  }

  async recent(channel: string): Promise<Message[]> {
    return this.histories.get(channel)?.buffer.toArray() ?? [];
  }

  async change(channel: string, id: string, authorId: string, change: MessageChange): Promise<ChangeResult> {
    const buffer = this.histories.get(channel)?.buffer;
    const index = buffer?.findIndex((message) => message.id === id) ?? -1;
    const current = buffer?.at(index);
    if (!buffer || !current || current.deletedAt) return { refused: 'NOT_FOUND' };
    if (current.author.id !== authorId) return { refused: 'FORBIDDEN' };
    const message: Message =
      'deletedAt' in change
        ? { ...current, text: '', deletedAt: change.deletedAt }
        : { ...current, text: change.text, editedAt: change.editedAt };
    buffer.set(index, message);
    // A late retry of the original send must not bring back deleted or outdated text.
    const dedupKey = `${authorId} ${current.clientId}`;
    if (this.byClientId.has(dedupKey)) this.byClientId.set(dedupKey, message);
    return { message };
  }

  private historyOf(channel: string): ChannelHistory {
    let history = this.histories.get(channel);
    if (!history) {
      history = { buffer: new RingBuffer<Message>(LIMITS.historySize), lastSeq: 0 };
      this.histories.set(channel, history);
    }
    return history;
  }

  private remember(key: string, message: Message): void {
    this.byClientId.set(key, message);
    const evicted = this.dedupOrder.push(key);
    if (evicted !== undefined) this.byClientId.delete(evicted);
  }
}
