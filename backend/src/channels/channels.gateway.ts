import { UseFilters, UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { AckResponse, Channel, ChannelWithHistory, User } from '@flack/contract';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { ok } from '../common/ws/ack.js';
import { SessionUser } from '../common/ws/session-user.decorator.js';
import { channelRoom, userRoom, type FlackServer } from '../common/ws/socket-types.js';
import { WsAckExceptionFilter } from '../common/ws/ws-ack-exception.filter.js';
import { EventBus } from '../events/event-bus.js';
import { ChannelsService } from './channels.service.js';
import { ChannelRefDto, CreateChannelDto, OpenDmDto } from './dto/channel.dto.js';

/**
 * `channel:*` and `dm:open`. Whoever becomes a member, however (create, join, a direct
 * conversation opened by the other person), has every tab put in the channel's room and told, in
 * one place: the `channel.joined` handler below.
 */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class ChannelsGateway {
  @WebSocketServer() private readonly server!: FlackServer;

  constructor(
    private readonly channels: ChannelsService,
    events: EventBus,
  ) {
    events.on('channel.joined', ({ channel, user }) => {
      this.server.in(userRoom(user.id)).socketsJoin(channelRoom(channel.id));
      // Every tab of the person lists the channel from now on; nobody else hears of a DM.
      this.server.to(userRoom(user.id)).emit('channel:joined', channel);
    });
    events.on('channel.left', ({ channelId, user }) => {
      this.server.in(userRoom(user.id)).socketsLeave(channelRoom(channelId));
      this.server.to(userRoom(user.id)).emit('channel:left', { channel: channelId });
      this.server
        .to(channelRoom(channelId))
        .emit('channel:membership', { channel: channelId, user, joined: false });
    });
    // Everyone lists the channels, so everyone hears that one is gone.
    events.on('channel.removed', ({ channelId }) => {
      this.server.emit('channel:removed', { channel: channelId });
    });
  }

  @SubscribeMessage('channel:list')
  async list(): Promise<AckResponse<Channel[]>> {
    return ok(await this.channels.list());
  }

  @SubscribeMessage('channel:create')
  @RateLimit('channelCreate')
  async create(
    @SessionUser() user: User,
    @MessageBody() { name }: CreateChannelDto,
  ): Promise<AckResponse<ChannelWithHistory>> {
    const channel = await this.channels.create(user, name);
    this.server.emit('channel:created', channel);
    return ok({ channel, messages: [] });
  }

  @SubscribeMessage('channel:join')
  @RateLimit('membership')
  async join(
    @SessionUser() user: User,
    @MessageBody() { channel: ref }: ChannelRefDto,
  ): Promise<AckResponse<ChannelWithHistory>> {
    const { channel, messages, newlyJoined } = await this.channels.join(user, ref);
    if (newlyJoined) {
      this.server
        .to(channelRoom(channel.id))
        .emit('channel:membership', { channel: channel.id, user, joined: true });
    }
    return ok({ channel, messages });
  }

  @SubscribeMessage('channel:leave')
  @RateLimit('membership')
  async leave(
    @SessionUser() user: User,
    @MessageBody() { channel }: ChannelRefDto,
  ): Promise<AckResponse<null>> {
    await this.channels.leave(user, channel);
    return ok(null);
  }

  @SubscribeMessage('channel:members')
  @RateLimit('history')
  async members(
    @SessionUser() user: User,
    @MessageBody() { channel }: ChannelRefDto,
  ): Promise<AckResponse<User[]>> {
    return ok(await this.channels.members(user.id, channel));
  }

  @SubscribeMessage('dm:open')
  @RateLimit('message')
  async openDm(
    @SessionUser() user: User,
    @MessageBody() { userId }: OpenDmDto,
  ): Promise<AckResponse<ChannelWithHistory>> {
    const { channel, messages } = await this.channels.openDm(user, userId);
    return ok({ channel, messages });
  }
}
