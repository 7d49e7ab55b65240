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
import type { AckResponse, PresenceChange, User } from '@flack/contract';
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

/** How long presence changes are gathered before they are sent together. */
export const PRESENCE_BATCH_MS = 500;

/** Who is online, who is typing where, and who is in a channel. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class PresenceGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  @WebSocketServer() private readonly server!: FlackServer;
  private readonly subscriptions: Subscription[] = [];
  /** Presence changes waiting to be sent, by user: the latest state of each. */
  private readonly pendingPresence = new Map<string, PresenceChange>();
  private presenceTimer?: NodeJS.Timeout;

  constructor(
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly channels: ChannelsService,
    private readonly users: UsersService,
  ) {}

  afterInit(server: FlackServer): void {
    this.subscriptions.push(
      this.presence.changed.subscribe((change) => this.announce(server, change)),
      this.typing.changed.subscribe((state) => server.to(channelRoom(state.channel)).emit('typing', state)),
    );
  }

  /**
   * Gathers presence changes for PRESENCE_BATCH_MS and sends them as one event: a broadcast per
   * change would cost n²/2 deliveries when n people connect at once (after a restart, say). Each
   * instance tells its own clients (see PresenceService.changed).
   */
  private announce(server: FlackServer, change: PresenceChange): void {
    this.pendingPresence.set(change.user.id, change);
    this.presenceTimer ??= setTimeout(() => {
      const changes = [...this.pendingPresence.values()];
      this.pendingPresence.clear();
      this.presenceTimer = undefined;
      server.local.emit('presence:changed', changes);
    }, PRESENCE_BATCH_MS);
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
    clearTimeout(this.presenceTimer);
  }
}
