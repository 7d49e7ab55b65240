import { LIMITS, type Message } from '@flack/contract';
import type { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { RingBuffer } from './ring-buffer.js';
import {
  DEDUP_WINDOW,
  MessagesRepository,
  type AppendOutcome,
  type EarlierSend,
  type MessageDraft,
  type ReactionChange,
  type ReactionResult,
  type SendReceipt,
} from './messages.repository.js';
import { withReaction } from './reactions.js';

/**
 * A send's receipt as the window keeps it, with the clientId that finds it (and is forgotten with
 * it), and without its seq, which is its place in the window. Its strings are the message's own,
 * not copies, so a receipt costs one small object.
 */
interface WindowEntry extends Omit<SendReceipt, 'seq'> {
  clientId: string;
}

/**
 * One channel: its history whole, and a receipt of each of its last DEDUP_WINDOW sends. A retry's
 * current message is read from the history by seq, so an edit or a reaction changes the one copy
 * there and never a dedup entry.
 */
interface ChannelLog {
  /** The newest `LIMITS.historySize` messages: consecutive seqs, oldest first, ending at `lastSeq`. */
  history: RingBuffer<Message>;
  /** The receipts of the last DEDUP_WINDOW sends: consecutive seqs, oldest first, ending at `lastSeq`. */
  window: RingBuffer<WindowEntry>;
  /** clientId → seq, for every send in `window` (no key names a person). */
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

  /** One synchronous step, answered at once (see MessagesRepository.append). */
  append(draft: MessageDraft): AppendOutcome {
    const channels = (this.channelsOfProcess ??= this.channels());
    // From here to the end, one synchronous step: a retry racing its original is stored once, and
    // a member who leaves meanwhile cannot write after leaving.
    const check = channels.authorCheck(draft.channel, draft.author.id);
    if (check === 'no-channel') return { outcome: 'no-channel' };
    if (check !== 'member') return { outcome: 'not-a-member', channel: check };
    const log = this.logOf(draft.channel);
    const earlier = this.earlierSend(log, draft.clientId);
    if (earlier) return { outcome: 'duplicate', ...earlier };

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
    const left = log.history.push(message);
    const evicted = log.window.push({
      clientId: message.clientId,
      id: message.id,
      createdAt: message.createdAt,
      authorId: message.author.id,
    });
    // Keys are unique within the window (a second send of one is a duplicate), so this is its own.
    if (evicted) log.seqByKey.delete(evicted.clientId);
    log.seqByKey.set(draft.clientId, message.seq);
    channels.countMessage(draft.channel, message.createdAt);
    return { outcome: 'stored', message, evictedFiles: left?.files !== undefined };
  }

  async sentWith(channel: string, clientId: string): Promise<EarlierSend | undefined> {
    const log = this.logs.get(channel);
    return log && this.earlierSend(log, clientId);
  }

  async recent(channel: string): Promise<Message[]> {
    return this.logs.get(channel)?.history.newest() ?? [];
  }

  async find(channel: string, id: string): Promise<Message | undefined> {
    const log = this.logs.get(channel);
    const seq = log && this.seqInHistory(log, id);
    return seq === undefined ? undefined : this.inHistory(log!, seq);
  }

  async replace(channel: string, expected: Message, next: Message): Promise<boolean> {
    if (next.id !== expected.id || next.seq !== expected.seq) {
      throw new RangeError('A replacement keeps the id and seq of the message it replaces.');
    }
    const log = this.logs.get(channel);
    // Only the history can be changed: what scrolled out of it is gone for readers.
    const stored = log && this.inHistory(log, expected.seq);
    // JSON, as on Redis, so that both backends call the same two messages equal.
    if (!log || !stored || JSON.stringify(stored) !== JSON.stringify(expected)) return false;
    log.history.set(expected.seq - firstSeq(log.history, log), next);
    return true;
  }

  async react(channel: string, id: string, change: ReactionChange): Promise<ReactionResult> {
    // One synchronous step between reading and writing: nothing else runs in between.
    const log = this.logs.get(channel);
    const seq = log && this.seqInHistory(log, id);
    if (!log || seq === undefined) return { outcome: 'gone' };
    const result = withReaction(this.inHistory(log, seq)!, change);
    if (result.outcome === 'changed') log.history.set(seq - firstSeq(log.history, log), result.message);
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
      log = {
        history: new RingBuffer<Message>(LIMITS.historySize),
        window: new RingBuffer<WindowEntry>(DEDUP_WINDOW),
        seqByKey: new Map(),
        lastSeq,
      };
      this.logs.set(channel, log);
    }
    return log;
  }

  /**
   * The send of a clientId in the window: its receipt (a copy without the key), and the message
   * while the history still holds it.
   */
  private earlierSend(log: ChannelLog, clientId: string): EarlierSend | undefined {
    const seq = log.seqByKey.get(clientId);
    if (seq === undefined) return undefined;
    const { id, createdAt, authorId } = bySeq(log.window, log, seq)!;
    const sent = { id, seq, createdAt, authorId };
    const message = this.inHistory(log, seq);
    return message ? { sent, message } : { sent };
  }

  /** The seq of a message of the history by id, newest first (people answer recent messages). */
  private seqInHistory(log: ChannelLog, id: string): number | undefined {
    const oldest = firstSeq(log.history, log);
    for (let seq = log.lastSeq; seq >= oldest; seq--) {
      if (this.inHistory(log, seq)?.id === id) return seq;
    }
    return undefined;
  }

  /** The message of a seq, if the history still holds it. */
  private inHistory(log: ChannelLog, seq: number): Message | undefined {
    return bySeq(log.history, log, seq);
  }
}

/** The seq of the oldest item of one of a channel's rings (both end at its `lastSeq`). */
function firstSeq(ring: RingBuffer<unknown>, { lastSeq }: ChannelLog): number {
  return lastSeq - ring.size + 1;
}

/** The item of a seq in one of a channel's rings, if it still holds it. */
function bySeq<T>(ring: RingBuffer<T>, log: ChannelLog, seq: number): T | undefined {
  return ring.at(seq - firstSeq(ring, log));
}
