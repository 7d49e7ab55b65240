import { UseFilters, UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { AckResponse, HistoryPage, Message, ReadState, SentMessage, User } from '@flack/contract';
import { HistoryDto } from '../channels/dto/channel.dto.js';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { andThen, type MaybePromise } from '../common/maybe-promise.js';
import { ok } from '../common/ws/ack.js';
import { SessionUser } from '../common/ws/session-user.decorator.js';
import { channelRoom, userRoom, type FlackServer } from '../common/ws/socket-types.js';
import { WsAckExceptionFilter } from '../common/ws/ws-ack-exception.filter.js';
import { EditMessageDto, MessageRefDto, ReadDto } from './dto/message-change.dto.js';
import { ReactionDto } from './dto/reaction.dto.js';
import { SendMessageDto } from './dto/send-message.dto.js';
import type { AppendResult } from './messages.repository.js';
import { MessagesService } from './messages.service.js';

/**
 * `message:*`, `channel:history` and `channel:read`: writing, replying, changing, reacting, catching
 * up and reading.
 */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class MessagesGateway {
  @WebSocketServer() private readonly server!: FlackServer;

  constructor(private readonly messages: MessagesService) {}

  /**
   * The event that comes thousands of times a second (like every handler, called through HotPaths,
   * without Nest's per-call cost). The ack says only what the sender did not know (the whole
   * message reaches the sender's tabs as `message:new`, like everyone's), so a send costs one full
   * message per member, not two for the sender.
   */
  @SubscribeMessage('message:send')
  @RateLimit('message')
  send(
    @SessionUser() user: User,
    @MessageBody() payload: SendMessageDto,
  ): MaybePromise<AckResponse<SentMessage>> {
    // No await: in memory the whole send is one synchronous step, answered at once.
    return andThen(this.messages.send(user, payload), this.broadcastAndAnswer);
  }

  /**
   * A retry (duplicate) is broadcast again: its first send may have been stored by an instance that
   * died before broadcasting it. Apps merge by seq, so whoever has it already shows it once. One
   * whose original has left the history is not (nobody can be shown it any more): the sender only
   * hears what it was acknowledged with. (A property, made once, not a closure per message.)
   */
  private readonly broadcastAndAnswer = (result: AppendResult): AckResponse<SentMessage> => {
    const { message } = result;
    if (message) this.server.to(channelRoom(message.channel)).emit('message:new', message);
    const { id, seq, createdAt } = result.duplicate ? result.sent : result.message;
    return ok({ id, seq, createdAt });
  };

  @SubscribeMessage('message:edit')
  @RateLimit('message')
  async edit(
    @SessionUser() user: User,
    @MessageBody() payload: EditMessageDto,
  ): Promise<AckResponse<Message>> {
    const message = await this.messages.edit(user, payload);
    this.server.to(channelRoom(message.channel)).emit('message:updated', message);
    return ok(message);
  }

  @SubscribeMessage('message:delete')
  @RateLimit('message')
  async delete(
    @SessionUser() user: User,
    @MessageBody() payload: MessageRefDto,
  ): Promise<AckResponse<Message>> {
    const { tombstone, unquoted } = await this.messages.delete(user, payload);
    const room = this.server.to(channelRoom(tombstone.channel));
    room.emit('message:updated', tombstone);
    for (const reply of unquoted) room.emit('message:updated', reply);
    return ok(tombstone);
  }

  /**
   * Reactions count against the message rate (5 a second, 20 at once by default): a person reacting
   * to several messages in a row stays well within it, and a flood of reactions costs what a flood
   * of messages does (one broadcast each). A crowd reacting at once is the other burst a chat gets
   * (the reactions bench scenario prices one against a message).
   */
  @SubscribeMessage('message:react')
  @RateLimit('message')
  react(@SessionUser() user: User, @MessageBody() payload: ReactionDto): Promise<AckResponse<Message>> {
    return this.reactOrTakeBack(user, payload, true);
  }

  @SubscribeMessage('message:unreact')
  @RateLimit('message')
  unreact(@SessionUser() user: User, @MessageBody() payload: ReactionDto): Promise<AckResponse<Message>> {
    return this.reactOrTakeBack(user, payload, false);
  }

  private async reactOrTakeBack(
    user: User,
    payload: ReactionDto,
    add: boolean,
  ): Promise<AckResponse<Message>> {
    const { message, changed } = await this.messages.react(user, payload, add);
    // Every tab of everyone in the channel, this person's included; nothing to tell when nothing changed.
    if (changed) this.server.to(channelRoom(message.channel)).emit('message:updated', message);
    return ok(message);
  }

  @SubscribeMessage('channel:history')
  @RateLimit('history')
  async history(
    @SessionUser() user: User,
    @MessageBody() { channel, afterSeq }: HistoryDto,
  ): Promise<AckResponse<HistoryPage>> {
    return ok(await this.messages.history(user.id, channel, afterSeq));
  }

  @SubscribeMessage('channel:read')
  async read(
    @SessionUser() user: User,
    @MessageBody() { channel, seq }: ReadDto,
  ): Promise<AckResponse<ReadState>> {
    const state = await this.messages.markRead(user, channel, seq);
    // Every tab and device of the user shows the same unread counts.
    this.server.to(userRoom(user.id)).emit('channel:read', state);
    return ok(state);
  }
}
