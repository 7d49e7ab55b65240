import { UseFilters, UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { AckResponse, Message, ReadState, User } from '@flack/contract';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { SessionUser } from '../common/session-user.decorator.js';
import { channelRoom, userRoom, type FlackServer } from '../common/socket-types.js';
import { ok } from '../common/ack.js';
import { createValidationPipe } from '../common/validation.js';
import { WsAckExceptionFilter } from '../common/ws-ack-exception.filter.js';
import { EditMessageDto, MessageRefDto, ReadDto } from './dto/message-change.dto.js';
import { MessagesService } from './messages.service.js';

const validated = createValidationPipe();

/** What happens to messages after they are sent: edits, deletions, and reading them. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class MessageChangesGateway {
  @WebSocketServer() private readonly server!: FlackServer;

  constructor(private readonly messages: MessagesService) {}

  @SubscribeMessage('message:edit')
  @RateLimit('message')
  async edit(
    @SessionUser() user: User,
    @MessageBody(validated) payload: EditMessageDto,
  ): Promise<AckResponse<Message>> {
    const message = await this.messages.edit(user, payload);
    this.server.to(channelRoom(message.channel)).emit('message:updated', message);
    return ok(message);
  }

  @SubscribeMessage('message:delete')
  @RateLimit('message')
  async delete(
    @SessionUser() user: User,
    @MessageBody(validated) payload: MessageRefDto,
  ): Promise<AckResponse<Message>> {
    const tombstone = await this.messages.delete(user, payload);
    this.server.to(channelRoom(tombstone.channel)).emit('message:updated', tombstone);
    return ok(tombstone);
  }

  @SubscribeMessage('channel:read')
  async read(
    @SessionUser() user: User,
    @MessageBody(validated) { channel, seq }: ReadDto,
  ): Promise<AckResponse<ReadState>> {
    const state = await this.messages.markRead(user, channel, seq);
    // Every tab and device of the user shows the same unread counts.
    this.server.to(userRoom(user.id)).emit('channel:read', state);
    return ok(state);
  }
}
