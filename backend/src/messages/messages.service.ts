import { Injectable } from '@nestjs/common';
import type { HistoryPage, Message, User } from '@flack/contract';
import { ChannelsService } from '../channels/channels.service.js';
import { MessagesRepository, type AppendResult } from './messages.repository.js';

/** The rules for messages: only members write and read, and a retry is stored once. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly channels: ChannelsService,
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
}
