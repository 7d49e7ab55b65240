import { LIMITS, type Message } from '@flack/contract';
import type { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { RingBuffer } from './ring-buffer.js';
import {
  DEDUP_WINDOW,
  MessagesRepository,
  type AppendOutcome,
  type MessageDraft,
  type ReactionChange,
  type ReactionResult,
} from './messages.repository.js';
import { withReaction } from './reactions.js';

/**
 * One channel's last DEDUP_WINDOW messages in one buffer: the newest `LIMITS.historySize` of them
 * are the history, and all of them answer retries. Keeping a single copy of each message means an
 * edit cannot reach the history and miss the dedup entry (or the other way round).
 */
interface ChannelLog {
  /** Consecutive seqs, oldest first, ending at `lastSeq`. */
  window: RingBuffer<Message>;
  /** clientId → seq, for every message in `window` (no key names a person). */
  seqByKey: Map<string, number>;
  lastSeq: number;
}

/**
 * Messages in this process. Stored messages are swapped for new objects by `replace`, never changed
 * in place, so the objects handed out are safe to share with readers (who must not mutate them).
 */
export class InMemoryMessagesRepository extends MessagesRepository {
  private readonly logs = new Map<string, ChannelLog>();
  /** Where the numbering of a removed channel stopped (see removeChannel): one number each. */
  private readonly lastSeqOfRemoved = new Map<string, number>();

  private channelsOfProcess?: InMemoryChannelsRepository;

  /**
   * `channels`: the channels of this process, which `append` checks the author against and counts
   * the message in, as the Redis script reads and writes the channel's keys. A function, because
   * the message store is built before the channels (which read history); it is called once, at the
   * first append.
   */
  constructor(private readonly channels: () => InMemoryChannelsRepository) {
    super();
  }

  async append(draft: MessageDraft): Promise<AppendOutcome> {
    const channels = (this.channelsOfProcess ??= this.channels());
    // From here to the end, one synchronous step: a retry racing its original is stored once, and
    // a member who leaves meanwhile cannot write after leaving.
    const check = channels.authorCheck(draft.channel, draft.author.id);
    if (check === 'no-channel') return { outcome: 'no-channel' };
    if (check !== 'member') return { outcome: 'not-a-member', channel: check };
    const log = this.logOf(draft.channel);
    const storedSeq = log.seqByKey.get(draft.clientId);
    if (storedSeq !== undefined) return { outcome: 'duplicate', message: this.at(log, storedSeq)! };

    const message: Message = {
      id: draft.id,
      channel: draft.channel,
      seq: ++log.lastSeq,
      author: draft.author,
      text: draft.text,
      createdAt: draft.createdAt,
      clientId: draft.clientId,
    };
    if (draft.replyTo) message.replyTo = draft.replyTo;
    if (draft.files) message.files = draft.files;
    const evicted = log.window.push(message);
    // Keys are unique within the window (a second send of one is a duplicate), so this is its own.
    if (evicted) log.seqByKey.delete(evicted.clientId);
    log.seqByKey.set(draft.clientId, message.seq);
    channels.countMessage(draft.channel, message.createdAt);
    return { outcome: 'stored', message };
  }

  async sentWith(channel: string, clientId: string): Promise<Message | undefined> {
    const log = this.logs.get(channel);
    const seq = log?.seqByKey.get(clientId);
    return seq === undefined ? undefined : this.at(log!, seq);
  }

  async recent(channel: string): Promise<Message[]> {
    return this.logs.get(channel)?.window.newest(LIMITS.historySize) ?? [];
  }

  async find(channel: string, id: string): Promise<Message | undefined> {
    const log = this.logs.get(channel);
    const seq = log && this.seqInHistory(log, id);
    return seq === undefined ? undefined : this.at(log!, seq);
  }

  async replace(channel: string, expected: Message, next: Message): Promise<boolean> {
    if (next.id !== expected.id || next.seq !== expected.seq) {
      throw new RangeError('A replacement keeps the id and seq of the message it replaces.');
    }
    const log = this.logs.get(channel);
    // Only the history can be changed: what scrolled out of it is gone for readers.
    if (!log || expected.seq <= log.lastSeq - LIMITS.historySize) return false;
    const stored = this.at(log, expected.seq);
    // JSON, as on Redis, so that both backends call the same two messages equal.
    if (!stored || JSON.stringify(stored) !== JSON.stringify(expected)) return false;
    // Its dedup entry is its seq, so a late retry finds the new version here too.
    log.window.set(expected.seq - this.firstSeq(log), next);
    return true;
  }

  async react(channel: string, id: string, change: ReactionChange): Promise<ReactionResult> {
    // One synchronous step between reading and writing: nothing else runs in between.
    const log = this.logs.get(channel);
    const seq = log && this.seqInHistory(log, id);
    if (!log || seq === undefined) return { outcome: 'gone' };
    const result = withReaction(this.at(log, seq)!, change);
    if (result.outcome === 'changed') log.window.set(seq - this.firstSeq(log), result.message);
    return result;
  }

  async removeChannel(channel: string): Promise<void> {
    const log = this.logs.get(channel);
    if (!log) return;
    this.logs.delete(channel);
    this.lastSeqOfRemoved.set(channel, log.lastSeq);
  }

  private logOf(channel: string): ChannelLog {
    let log = this.logs.get(channel);
    if (!log) {
      const lastSeq = this.lastSeqOfRemoved.get(channel) ?? 0;
      this.lastSeqOfRemoved.delete(channel);
      log = { window: new RingBuffer<Message>(DEDUP_WINDOW), seqByKey: new Map(), lastSeq };
      this.logs.set(channel, log);
    }
    return log;
  }

  /** The seq of a message of the history by id, newest first (people answer recent messages). */
  private seqInHistory(log: ChannelLog, id: string): number | undefined {
    const oldest = Math.max(log.lastSeq - LIMITS.historySize + 1, 1);
    for (let seq = log.lastSeq; seq >= oldest; seq--) {
      if (this.at(log, seq)?.id === id) return seq;
    }
    return undefined;
  }

  private firstSeq(log: ChannelLog): number {
    return log.lastSeq - log.window.size + 1;
  }

  private at(log: ChannelLog, seq: number): Message | undefined {
    return log.window.at(seq - this.firstSeq(log));
  }
}
