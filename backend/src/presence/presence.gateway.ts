import { UseFilters, UseGuards, type OnModuleDestroy } from '@nestjs/common';
import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { AckResponse, User } from '@flack/contract';
import type { Subscription } from 'rxjs';
import { ChannelsService } from '../channels/channels.service.js';
import { ChannelRefDto } from '../channels/dto/channel.dto.js';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { SessionUser } from '../common/session-user.decorator.js';
import { channelRoom, type FlackServer, type FlackSocket } from '../common/socket-types.js';
import { ok } from '../common/ack.js';
import { createValidationPipe } from '../common/validation.js';
import { WsAckExceptionFilter } from '../common/ws-ack-exception.filter.js';
import { UsersService } from '../users/users.service.js';
import { PresenceService } from './presence.service.js';
import { TypingService } from './typing.service.js';

const validated = createValidationPipe();


/** Who is online, who is typing where, and who is in a channel. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class PresenceGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  @WebSocketServer() private readonly server!: FlackServer;
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly channels: ChannelsService,
    private readonly users: UsersService,
  ) {}

  afterInit(server: FlackServer): void {
    this.subscriptions.push(
      // Each instance tells its own clients (see PresenceService.changed).
      this.presence.changed.subscribe((change) => server.local.emit('presence:changed', change)),
      this.typing.changed.subscribe((state) => server.to(channelRoom(state.channel)).emit('typing', state)),
    );
  }

  handleConnection(socket: FlackSocket): void {
    this.presence.connected(socket.data.user);
  }

  handleDisconnect(socket: FlackSocket): void {
    // A socket refused in the handshake never had a user.
    const { user } = socket.data;
    if (!user) return;
    this.presence.disconnected(user);
    // Typing in a tab that closed is over; another tab still typing says so again within seconds.
    void this.typing.stopEverywhere(user.id);
  }

  @SubscribeMessage('typing:start')
  @RateLimit('message')
  async startTyping(
    @SessionUser() user: User,
    @MessageBody(validated) { channel: ref }: ChannelRefDto,
  ): Promise<AckResponse<null>> {
    const channel = await this.channels.requireMembership(user.id, ref);
    await this.typing.start(channel.id, user);
    return ok(null);
  }

  @SubscribeMessage('typing:stop')
  async stopTyping(
    @SessionUser() user: User,
    @MessageBody(validated) { channel: ref }: ChannelRefDto,
  ): Promise<AckResponse<null>> {
    const channel = await this.channels.requireMembership(user.id, ref);
    await this.typing.stop(channel.id, user.id);
    return ok(null);
  }

  @SubscribeMessage('channel:members')
  async members(
    @SessionUser() user: User,
    @MessageBody(validated) { channel: ref }: ChannelRefDto,
  ): Promise<AckResponse<User[]>> {
    const channel = await this.channels.requireMembership(user.id, ref);
    const members = await this.users.findMany(await this.channels.memberIds(channel.id));
    return ok(members.sort((a, b) => a.name.localeCompare(b.name)));
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
