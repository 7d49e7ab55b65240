import { Injectable } from '@nestjs/common';
import {
  mentionsName,
  type EditMessagePayload,
  type HistoryPage,
  type Message,
  type MessageRef,
  type ReadState,
  type User,
} from '@flack/contract';
import { ChannelsService } from '../channels/channels.service.js';
import { AppError } from '../common/app-error.js';
import {
  MessagesRepository,
  type AppendResult,
  type ChangeResult,
  type MessageChange,
} from './messages.repository.js';
import { ReadStateRepository } from './read-state.repository.js';

/**
 * The rules for messages: only members write and read, a retry is stored once, only the author
 * edits or deletes, and each user's read position moves forward only.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsService,
    private readonly readPositions: ReadStateRepository,
  ) {}

  /** Stores the message unless this author already sent this `clientId`; see AppendResult. */
  async send(
    author: User,
    payload: { channel: string; text: string; clientId: string },
  ): Promise<AppendResult> {
    const channel = await this.channels.requireMembership(author.id, payload.channel);
    const result = await this.messages.append({
      channel: channel.id,
      author,
      text: payload.text,
      clientId: payload.clientId,
    });
    if (!result.duplicate) await this.channels.recordMessage(channel.id, result.message.createdAt);
    return result;
  }

  /** The stored history of a channel the user has joined; no check, for callers that just did. */
  recent(channelId: string): Promise<Message[]> {
    return this.messages.recent(channelId);
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
  async edit(user: User, { channel, id, text }: EditMessagePayload): Promise<Message> {
    return this.change(user, { channel, id }, { text, editedAt: new Date().toISOString() });
  }

  /** The author only: drops the text and stamps `deletedAt`; deleting again is NOT_FOUND. */
  async delete(user: User, ref: MessageRef): Promise<Message> {
    return this.change(user, ref, { deletedAt: new Date().toISOString() });
  }

  /** Read positions and unread counts of the given (joined) channels. */
  async readStates(user: User, channelIds: string[]): Promise<ReadState[]> {
    const positions = await this.readPositions.positionsOf(user.id);
    return Promise.all(
      channelIds.map(async (channel) =>
        readState(user, channel, positions.get(channel) ?? 0, await this.messages.recent(channel)),
      ),
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

  /** On joining, the history the person is shown counts as read. */
  async markJoined(userId: string, channelId: string): Promise<void> {
    const newest = (await this.messages.recent(channelId)).at(-1)?.seq ?? 0;
    await this.readPositions.advance(userId, channelId, newest);
  }

  async forgetReader(userId: string): Promise<void> {
    await this.readPositions.removeUser(userId);
  }

  private async change(user: User, ref: MessageRef, change: MessageChange): Promise<Message> {
    const channel = await this.channels.requireMembership(user.id, ref.channel);
    return changedOrThrow(await this.messages.change(channel.id, ref.id, user.id, change));
  }
}

function changedOrThrow(result: ChangeResult): Message {
  if ('message' in result) return result.message;
  if (result.refused === 'FORBIDDEN') {
    throw new AppError('FORBIDDEN', 'You can only edit or delete your own messages.');
  }
  throw new AppError('NOT_FOUND', 'That message does not exist any more (it may have been deleted).');
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
