import { UseFilters, UseGuards, type OnModuleDestroy } from '@nestjs/common';
import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { AckResponse, PresenceChange, User } from '@flack/contract';
import type { Subscription } from 'rxjs';
import type { Server } from 'socket.io';
import { ChannelsService } from '../channels/channels.service.js';
import { ChannelRefDto } from '../channels/dto/channel.dto.js';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { ok } from '../common/ws/ack.js';
import { SessionUser } from '../common/ws/session-user.decorator.js';
import { channelRoom, PRESENCE_WATCHERS, type FlackServer } from '../common/ws/socket-types.js';
import { WsAckExceptionFilter } from '../common/ws/ws-ack-exception.filter.js';
import type { PresenceUpdate } from './presence.repository.js';
import { PresenceService } from './presence.service.js';
import { TypingService } from './typing.service.js';

/** How long presence changes are gathered before they are sent together. */
export const PRESENCE_BATCH_MS = 500;

/** What instances tell each other through the adapter (`serverSideEmit`), not sent to clients. */
interface PresenceServerEvents {
  'presence:updates': (updates: PresenceUpdate[]) => void;
}

/** `typing:*`, and what presence and typing tell the clients (`presence:changed`, `typing`). */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class PresenceGateway implements OnGatewayInit, OnModuleDestroy {
  @WebSocketServer() private readonly server!: FlackServer;
  private readonly subscriptions: Subscription[] = [];
  /** Presence changes waiting to be sent, by user: the latest state of each. */
  private readonly pendingPresence = new Map<string, PresenceChange>();
  private presenceTimer?: NodeJS.Timeout;

  constructor(
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly channels: ChannelsService,
  ) {}

  afterInit(server: FlackServer): void {
    const instances = server as unknown as Server<never, never, PresenceServerEvents>;
    instances.on('presence:updates', (updates) => this.presence.receive(updates));
    this.subscriptions.push(
      this.presence.published.subscribe((updates) => instances.serverSideEmit('presence:updates', updates)),
      this.presence.changed.subscribe((change) => this.announce(server, change)),
      this.typing.changed.subscribe((state) => server.to(channelRoom(state.channel)).emit('typing', state)),
    );
  }

  /**
   * Gathers presence changes for PRESENCE_BATCH_MS and sends them as one event: a broadcast per
   * change would cost n²/2 deliveries when n people connect at once (after a restart, say). Every
   * instance sees every change, so each tells its own watchers only: the sockets that asked for the
   * online list (PRESENCE_WATCHERS), which every app does, since the Online list is in every
   * sidebar and mentions and "Jump to" offer who is online.
   */
  private announce(server: FlackServer, change: PresenceChange): void {
    this.pendingPresence.set(change.user.id, change);
    this.presenceTimer ??= setTimeout(() => {
      const changes = [...this.pendingPresence.values()];
      this.pendingPresence.clear();
      this.presenceTimer = undefined;
      server.local.to(PRESENCE_WATCHERS).emit('presence:changed', changes);
    }, PRESENCE_BATCH_MS);
  }

  @SubscribeMessage('typing:start')
  @RateLimit('message')
  async startTyping(
    @SessionUser() user: User,
    @MessageBody() { channel }: ChannelRefDto,
  ): Promise<AckResponse<null>> {
    const { id } = await this.channels.requireMembership(user.id, channel);
    await this.typing.start(id, user);
    return ok(null);
  }

  @SubscribeMessage('typing:stop')
  async stopTyping(
    @SessionUser() user: User,
    @MessageBody() { channel }: ChannelRefDto,
  ): Promise<AckResponse<null>> {
    const { id } = await this.channels.requireMembership(user.id, channel);
    await this.typing.stop(id, user.id);
    return ok(null);
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    clearTimeout(this.presenceTimer);
  }
}
