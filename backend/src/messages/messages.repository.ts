import type { Message, SentMessage, User } from '@flack/contract';
import type { MaybePromise } from '../common/maybe-promise.js';

/**
 * How many of each channel's most recent sends a retry is recognised against by its `clientId`:
 * a resend within that many messages of its original is answered with the original. Bounded per
 * channel, the same on both backends; keyed by the clientId alone, so no key names a person (the
 * service checks that the retry comes from the original's author). Only the newest
 * `LIMITS.historySize` of them are kept whole (the history); for the rest the window keeps a
 * SendReceipt.
 */
export const DEDUP_WINDOW = 1000;

/** A message ready to store: stamped by the service, waiting for its `seq`. */
export type MessageDraft = Omit<Message, 'seq' | 'editedAt' | 'deletedAt'>;

/**
 * What the dedup window keeps of each send: what its ack said (`id`, `seq`, `createdAt`) and who
 * sent it, for the service's author check. None of it changes when the message is edited, reacted
 * to or deleted, so a receipt is written once.
 */
export interface SendReceipt extends SentMessage {
  authorId: string;
}

/**
 * An earlier send of a `clientId`, found in the dedup window: its receipt, and the message as it is
 * now (edits, reactions and deletion included) while it is still in the history. Without
 * `message`, its original has scrolled out of the history: nobody can be shown it any more, and a
 * retry gets only its ack.
 */
export interface EarlierSend {
  sent: SendReceipt;
  message?: Message;
}

/**
 * What `append` did: `stored` (a new message, with its seq; `evictedFiles` when the message it
 * pushed out of the history, seq − LIMITS.historySize, carried files), `duplicate` (the `clientId` was sent
 * already: nothing new was written, see EarlierSend; the caller must check its author),
 * `not-a-member` (the author is not in the channel: nothing stored; what the refusal needs to name
 * it, or not name it for a direct conversation), `no-channel` (nothing stored).
 */
export type AppendOutcome =
  | { outcome: 'stored'; message: Message; evictedFiles: boolean }
  | ({ outcome: 'duplicate' } & EarlierSend)
  | { outcome: 'not-a-member'; channel: { name: string; dm: boolean } }
  | { outcome: 'no-channel' };

/**
 * A send as MessagesService answers it: a new message, or a retry of the author's own earlier send
 * (nothing new was written; see EarlierSend).
 */
export type AppendResult = { duplicate: false; message: Message } | ({ duplicate: true } & EarlierSend);

/** One person adding (or taking back) one emoji on one message. */
export interface ReactionChange {
  emoji: string;
  /** The session's user: who the reaction is listed under. */
  user: User;
  /** True to add the reaction, false to take it back. */
  add: boolean;
}

/**
 * What `react` did: `changed` (stored, `revision` one larger), `unchanged` (the person had that
 * reaction already, or had none to take back), `full` (a new emoji on a message that has
 * LIMITS.reactionsPerMessage already), `gone` (not in the history, or deleted).
 */
export type ReactionResult =
  { outcome: 'changed' | 'unchanged' | 'full'; message: Message } | { outcome: 'gone' };

/**
 * Each channel's most recent messages, oldest first, capped at `LIMITS.historySize`, numbered by a
 * per-channel `seq`, and the receipts of its last DEDUP_WINDOW sends. Storage only: who may change
 * what is MessagesService's rule. Async throughout so that a shared store (Redis) can stand in for
 * the in-memory one.
 */
export abstract class MessagesRepository {
  /**
   * Stores the message with the channel's next seq, in this order: unless there is no such channel
   * (ChannelsRepository's), unless its author is not a member, unless its `clientId` is among the
   * channel's last DEDUP_WINDOW sends (then answers that send: its receipt, and the message as it is
   * now while it is in the history, edits and deletion included); a stored message is counted in its
   * channel (ChannelsRepository.recordMessage's rule: `messageCount`, `lastMessageAt` moving forward
   * only). One step on a shared store (on Redis one script, the whole of a send's work there): two
   * concurrent calls with one `clientId` store one message, and nobody who left the channel gets a
   * message in. `find` and `replace` reach the history only; pass `replace` what `find` or
   * `recent` answered, unchanged.
   *
   * An answer now where the store has it at once (in this process), a promise otherwise: every
   * message goes through here, and the await spared is part of what a send costs.
   */
  abstract append(draft: MessageDraft): MaybePromise<AppendOutcome>;
  /**
   * The send of this `clientId`, if it is among the channel's last DEDUP_WINDOW: what `append` would
   * answer a retry with, without storing anything.
   */
  abstract sentWith(channel: string, clientId: string): Promise<EarlierSend | undefined>;
  /** The stored history of a channel, oldest first. */
  abstract recent(channel: string): Promise<Message[]>;
  /**
   * The histories of several channels, in the order asked (a reconnect's unread counts): one
   * request to the store however many channels, where the store is remote.
   */
  recentOfEach(channels: readonly string[]): Promise<Message[][]> {
    return Promise.all(channels.map((channel) => this.recent(channel)));
  }
  /** One stored message of the channel by id. */
  abstract find(channel: string, id: string): Promise<Message | undefined>;
  /**
   * Replaces a stored message with `next` (same id and seq) only if it is still exactly `expected`
   * (compare-and-set): resolves false when it changed meanwhile or is gone. A late retry answers
   * the current version, read from the history (the receipt of its send does not change).
   */
  abstract replace(channel: string, expected: Message, next: Message): Promise<boolean>;
  /**
   * Adds or takes back one person's reaction on a message of the history, atomically, so that
   * any number of people reacting to one message at once are all kept (no read-modify-write
   * between calls). A person is listed once per emoji, in the order people reacted; an emoji with
   * nobody left goes, and `reactions` is absent when none is left. Every change adds one to
   * `revision` (a late retry answers the reacted version, as for `replace`). A deleted message is
   * `gone`.
   */
  abstract react(channel: string, id: string, change: ReactionChange): Promise<ReactionResult>;
  /**
   * Forgets a removed channel's messages and dedup window. Its seq counter stays, so a channel
   * created again under the same name goes on numbering where it stopped: a read position or a
   * client's view from before can never take a new message for an old one.
   */
  abstract removeChannel(channel: string): Promise<void>;
}
