import { UseFilters, UseGuards, type OnApplicationBootstrap } from '@nestjs/common';
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
import { TopicDto } from './dto/topic.dto.js';

/**
 * `channel:*` and `dm:open`. Whoever becomes a member, however (create, join, a direct
 * conversation opened by the other person), has every tab put in the channel's room and told, in
 * one place: the `channel.joined` handler below.
 */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class ChannelsGateway implements OnApplicationBootstrap {
  @WebSocketServer() private readonly server!: FlackServer;

  constructor(
    private readonly channels: ChannelsService,
    events: EventBus,
  ) {
    events.on('channel.joined', ({ channel, user }) => {
      this.server.in(userRoom(user.id)).socketsJoin(channelRoom(channel.id));
      // Every tab of the person lists the channel from now on; nobody else hears of a DM.
      this.server.to(userRoom(user.id)).emit('channel:joined', channel);
      // Members see the newcomer (a DM's two people know each other already).
      if (!channel.dm) {
        this.server
          .to(channelRoom(channel.id))
          .emit('channel:membership', { channel: channel.id, user, joined: true });
      }
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

  /** The default channels exist before the first request; clients of other instances hear of new ones. */
  async onApplicationBootstrap(): Promise<void> {
    for (const channel of await this.channels.ensureDefaults()) this.server.emit('channel:created', channel);
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
    const { channel, messages } = await this.channels.join(user, ref);
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

  @SubscribeMessage('channel:topic')
  @RateLimit('topic')
  async topic(
    @SessionUser() user: User,
    @MessageBody() { channel: ref, topic }: TopicDto,
  ): Promise<AckResponse<Channel>> {
    const { channel, changed } = await this.channels.setTopic(user, ref, topic);
    if (changed) {
      // Everyone lists every channel; a direct conversation only its two people.
      const audience = channel.dm
        ? this.server.to(channel.dm.map((person) => userRoom(person.id)))
        : this.server;
      audience.emit('channel:updated', channel);
    }
    return ok(channel);
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
