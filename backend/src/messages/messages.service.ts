import { Injectable } from '@nestjs/common';
import {
  LIMITS,
  mentionsName,
  replyExcerpt,
  type EditMessagePayload,
  type HistoryPage,
  type Message,
  type MessageRef,
  type ReactionPayload,
  type ReadState,
  type ReplyPreview,
  type SendMessagePayload,
  type User,
} from '@flack/contract';
import { randomId } from '../common/random-id.js';
import {
  channelKey,
  ChannelsService,
  membershipRefusal,
  noSuchChannel,
} from '../channels/channels.service.js';
import { AppError } from '../common/app-error.js';
import { isoNow } from '../common/iso-now.js';
import { EventBus } from '../events/event-bus.js';
import { FilesService } from '../files/files.service.js';
import { andThen, type MaybePromise } from '../common/maybe-promise.js';
import {
  MessagesRepository,
  type AppendOutcome,
  type AppendResult,
  type MessageDraft,
} from './messages.repository.js';
import { ReadStateRepository } from './read-state.repository.js';

/**
 * Compare-and-set rounds an edit or delete gets when the message changes under it (another tab, a
 * crowd reacting to it).
 */
const CHANGE_ATTEMPTS = 5;

/**
 * The rules for messages: only members write and read, a retry is stored once, only the author
 * edits or deletes (and not a deleted message), and each user's read position moves forward only.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsService,
    private readonly readPositions: ReadStateRepository,
    private readonly events: EventBus,
    private readonly files: FilesService,
  ) {
    events.on('user.released', ({ userId }) => this.readPositions.removeUser(userId));
    events.on('channel.joined', ({ channel, user }) => this.markJoined(user.id, channel.id));
    events.on('channel.removed', ({ channelId }) => this.messages.removeChannel(channelId));
  }

  /**
   * Members only: stores the message unless this author already sent this `clientId` here; see
   * AppendResult. A reply quotes its original (see `replyExcerpt`), which must be in this channel's
   * history and not deleted.
   *
   * A plain message is one repository call: the append checks the channel and the membership
   * itself (on Redis in its one script), so the send reads nothing else first. A reply or files
   * look things up before the append, so their author's membership is checked before those.
   */
  send(author: User, payload: SendMessagePayload): MaybePromise<AppendResult> {
    if (payload.replyTo || payload.files?.length) return this.sendWithQuoteOrFiles(author, payload);
    // In memory this is one synchronous step from here to the answer: nothing to wait for. A
    // refusal is a rejected promise still, never a throw, so every caller can await it as before.
    try {
      const { channel, text, clientId } = payload;
      const appended = this.messages.append(this.draft(author, channelKey(channel), text, clientId));
      return andThen(appended, (outcome) => this.answerFor(author, outcome));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private async sendWithQuoteOrFiles(
    author: User,
    { channel: ref, text, clientId, replyTo: originalId, files: fileIds }: SendMessagePayload,
  ): Promise<AppendResult> {
    const channel = channelKey(ref);
    let replyTo: ReplyPreview | undefined;
    let files: Message['files'];
    await this.channels.requireMembership(author.id, ref);
    if (originalId) {
      try {
        replyTo = await this.quote(channel, originalId);
      } catch (error) {
        // A retry of a reply stored before its original went: answered as any retry is.
        return this.storedRetryOr(error, channel, author, clientId);
      }
    }
    // The same for files: the author's own uploads, claimed for this message (files/); a retry of
    // one stored before its files went (deleted, evicted) is answered as any retry is.
    if (fileIds?.length) {
      try {
        files = await this.files.claim(author.id, channel, clientId, fileIds);
      } catch (error) {
        return this.storedRetryOr(error, channel, author, clientId);
      }
    }
    const draft = { ...this.draft(author, channel, text, clientId), replyTo, files };
    return this.answerFor(author, await this.messages.append(draft));
  }

  private draft(author: User, channel: string, text: string, clientId: string): MessageDraft {
    return { id: randomId(), channel, author, text, createdAt: isoNow(), clientId };
  }

  /**
   * What the append did, as the sender is answered; waits only for a feature that has something
   * to finish. Throws a refusal (the caller turns it into a rejection).
   */
  private answerFor(author: User, result: AppendOutcome): MaybePromise<AppendResult> {
    switch (result.outcome) {
      case 'no-channel':
        throw noSuchChannel();
      case 'not-a-member':
        throw membershipRefusal(result.channel);
      case 'stored': {
        const { message, evictedFiles } = result;
        const sent: AppendResult = { message, duplicate: false };
        // Waited for only when a feature has something to finish (the files of this message).
        const stored = this.events.emit('message.stored', { message, evictedFiles });
        return stored ? stored.then(() => sent) : sent;
      }
      case 'duplicate': {
        const { outcome: _outcome, ...earlier } = result;
        if (earlier.sent.authorId !== author.id) {
          // A clientId is seen by every member; reusing someone else's stores nothing and learns nothing new.
          throw new AppError('INVALID', 'That clientId belongs to another message. Send it with a new one.');
        }
        return { duplicate: true, ...earlier };
      }
    }
  }

  /**
   * A send refused on its way to the append (its original or its files are gone) may be a retry of
   * one stored before they went: then it is answered as any retry is; otherwise the refusal stands.
   */
  private async storedRetryOr(
    error: unknown,
    channelId: string,
    author: User,
    clientId: string,
  ): Promise<AppendResult> {
    const earlier = await this.messages.sentWith(channelId, clientId);
    if (earlier?.sent.authorId !== author.id) throw error;
    return { duplicate: true, ...earlier };
  }

  /** Members only: the whole stored history, or what came after `afterSeq` (see HistoryPage). */
  async history(userId: string, ref: string, afterSeq?: number): Promise<HistoryPage> {
    const channel = await this.channels.requireMembership(userId, ref);
    const stored = await this.messages.recent(channel.id);
    if (afterSeq === undefined) return { messages: stored, truncated: false };
    const oldestKept = stored[0]?.seq;
    const truncated = oldestKept !== undefined && oldestKept > afterSeq + 1;
    return { messages: truncated ? stored : stored.filter((message) => message.seq > afterSeq), truncated };
  }

  /** The author only: replaces the text and stamps `editedAt`. */
  edit(user: User, { channel, id, text }: EditMessagePayload): Promise<Message> {
    return this.change(user, { channel, id }, (message) => ({
      ...message,
      text,
      editedAt: isoNow(),
    }));
  }

  /**
   * The author only: drops the text, reactions, files and quote and stamps `deletedAt`; deleting
   * again is NOT_FOUND. Replies that quoted it quote nothing of it any more (`unquoted`, changed
   * too), so its words are gone everywhere. Features that keep something per message hear
   * `message.deleted`.
   */
  async delete(user: User, ref: MessageRef): Promise<{ tombstone: Message; unquoted: Message[] }> {
    let deleted: Message | undefined;
    const tombstone = await this.change(user, ref, (message) => {
      deleted = message;
      const { reactions: _reactions, files: _files, replyTo: _replyTo, ...kept } = message;
      return { ...kept, text: '', deletedAt: isoNow() };
    });
    await this.events.emit('message.deleted', { message: deleted! });
    return { tombstone, unquoted: await this.unquote(tombstone) };
  }

  /**
   * Members only: adds (`add`) or takes back this person's reaction. Doing what is already done
   * changes nothing and is no error; `changed` says whether members need to hear of it.
   */
  async react(
    user: User,
    { channel: ref, id, emoji }: ReactionPayload,
    add: boolean,
  ): Promise<{ message: Message; changed: boolean }> {
    const channel = await this.channels.requireMembership(user.id, ref);
    // The reaction is listed under the session's user, never a name from the payload.
    const result = await this.messages.react(channel.id, id, {
      emoji,
      user: { id: user.id, name: user.name },
      add,
    });
    if (result.outcome === 'gone') {
      throw new AppError('NOT_FOUND', 'That message is no longer in the history (it may have been deleted).');
    }
    if (result.outcome === 'full') {
      throw new AppError(
        'INVALID',
        `A message can have at most ${LIMITS.reactionsPerMessage} different reactions. Add one of those already there.`,
      );
    }
    return { message: result.message, changed: result.outcome === 'changed' };
  }

  /** Read positions and unread counts of the given (joined) channels. */
  async readStates(user: User, channelIds: string[]): Promise<ReadState[]> {
    const [positions, histories] = await Promise.all([
      this.readPositions.positionsOf(user.id),
      this.messages.recentOfEach(channelIds),
    ]);
    return channelIds.map((channel, i) =>
      readState(user, channel, positions.get(channel) ?? 0, histories[i]),
    );
  }

  /** Members only: moves the read position up to `seq` (at most the newest message). */
  async markRead(user: User, ref: string, seq: number): Promise<ReadState> {
    const channel = await this.channels.requireMembership(user.id, ref);
    const stored = await this.messages.recent(channel.id);
    const newest = stored.at(-1)?.seq ?? 0;
    const position = await this.readPositions.advance(user.id, channel.id, Math.min(seq, newest));
    return readState(user, channel.id, position, stored);
  }

  /** What a reply shows of its original: a message of this channel's history, not deleted. */
  private async quote(channel: string, id: string): Promise<ReplyPreview> {
    const original = await this.messages.find(channel, id);
    if (!original) {
      throw new AppError('NOT_FOUND', 'The message you are replying to is no longer in the history.');
    }
    if (original.deletedAt) throw new AppError('NOT_FOUND', 'The message you are replying to was deleted.');
    return {
      id: original.id,
      seq: original.seq,
      author: original.author,
      excerpt: replyExcerpt(original.text),
    };
  }

  /** The replies to a deleted message, each marked `deleted` with its excerpt gone. */
  private async unquote(tombstone: Message): Promise<Message[]> {
    const unquoted: Message[] = [];
    for (const reply of await this.messages.recent(tombstone.channel)) {
      if (reply.replyTo?.id !== tombstone.id || reply.replyTo.deleted) continue;
      const changed = await this.compareAndSet(tombstone.channel, reply.id, (current) =>
        current.replyTo && !current.replyTo.deleted
          ? { ...current, replyTo: { ...current.replyTo, excerpt: '', deleted: true } }
          : undefined,
      );
      if (changed) unquoted.push(changed);
    }
    return unquoted;
  }

  /** On joining, the history the person is shown counts as read. */
  private async markJoined(userId: string, channelId: string): Promise<void> {
    const newest = (await this.messages.recent(channelId)).at(-1)?.seq ?? 0;
    await this.readPositions.advance(userId, channelId, newest);
  }

  /** The one edit/delete rule, applied to the stored message and written back only if unchanged meanwhile. */
  private async change(user: User, ref: MessageRef, next: (message: Message) => Message): Promise<Message> {
    const channel = await this.channels.requireMembership(user.id, ref.channel);
    const changed = await this.compareAndSet(channel.id, ref.id, (current) => {
      if (current.deletedAt) {
        throw new AppError('NOT_FOUND', 'That message does not exist any more (it may have been deleted).');
      }
      if (current.author.id !== user.id) {
        throw new AppError('FORBIDDEN', 'You can only edit or delete your own messages.');
      }
      return next(current);
    });
    if (!changed) {
      throw new AppError('NOT_FOUND', 'That message does not exist any more (it may have been deleted).');
    }
    return changed;
  }

  /**
   * Reads a stored message, lets `next` decide what it becomes (undefined: nothing to do), and writes
   * that back with one more revision only if the message did not change meanwhile (a reaction,
   * another tab), reading it again if it did. Undefined when it is gone or there was nothing to do.
   */
  private async compareAndSet(
    channel: string,
    id: string,
    next: (message: Message) => Message | undefined,
  ): Promise<Message | undefined> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const current = await this.messages.find(channel, id);
      const wanted = current && next(current);
      if (!wanted) return undefined;
      // Of two copies of one message, clients keep the one with the larger revision.
      const changed = { ...wanted, revision: (current.revision ?? 0) + 1 };
      if (await this.messages.replace(channel, current, changed)) return changed;
    }
    throw new AppError('UNAVAILABLE', 'That message is being changed elsewhere right now. Please try again.');
  }
}

/** Unread = stored messages by others after the read position, not deleted. */
function readState(user: User, channel: string, lastReadSeq: number, stored: Message[]): ReadState {
  let unread = 0;
  let mentions = 0;
  for (const message of stored) {
    if (message.seq <= lastReadSeq || message.author.id === user.id || message.deletedAt) continue;
    unread++;
    if (mentionsName(message.text, user.name)) mentions++;
  }
  return { channel, lastReadSeq, unread, mentions };
}
