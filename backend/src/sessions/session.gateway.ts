import { UseFilters } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  Ack,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { AckResponse, SessionSnapshot, User } from '@flack/contract';
import { ChannelsService } from '../channels/channels.service.js';
import { ok } from '../common/ws/ack.js';
import { SessionSocket, SessionUser } from '../common/ws/session-user.decorator.js';
import {
  channelRoom,
  PRESENCE_WATCHERS,
  userRoom,
  type FlackServer,
  type FlackSocket,
} from '../common/ws/socket-types.js';
import { WsAckExceptionFilter } from '../common/ws/ws-ack-exception.filter.js';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { MessagesService } from '../messages/messages.service.js';
import { PresenceService } from '../presence/presence.service.js';
import { ConnectionsService } from './connections.service.js';
import { handshake } from './handshake.js';
import { SessionsService } from './sessions.service.js';

/** socket.io-parser's `PacketType.EVENT`. */
const EVENT_PACKET = 2;

/**
 * Writes a recovered session's missed packets to its socket as they were stored (each with its
 * offset), as Socket.IO's own replay does (`Socket#packet`). `socket.emit` would broadcast each one
 * again through the adapter (recovery makes every emit a broadcast to the socket's own room), so
 * the buffer would keep a second copy with a second offset, and a reconnect storm's replays would
 * push other sessions' offsets out of the bounded buffer (on Redis: one more XADD per packet).
 */
function replay(socket: FlackSocket, missed: unknown[][]): void {
  const write = socket as unknown as { packet(packet: { type: number; data: unknown[] }): void };
  for (const packet of missed) write.packet({ type: EVENT_PACKET, data: packet });
}

/** The handshake, each socket's rooms and connection count, and `session:*`. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
export class SessionGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer() private readonly server!: FlackServer;

  constructor(
    private readonly sessions: SessionsService,
    private readonly connections: ConnectionsService,
    private readonly channels: ChannelsService,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly config: ConfigService<Env, true>,
    events: EventBus,
  ) {
    // The store forgot every session and membership: this instance's sockets, and the rooms they
    // are in, belong to a world that is gone. As on a restart, the app hears "shutdown", finds its
    // token unknown, claims its name again and joins again what exists (the old rooms would have
    // sent a re-created channel's messages to its former members).
    events.on('store.reset', () => {
      this.server.local.emit('server:shutdown');
      this.server.local.disconnectSockets(true);
    });
  }

  afterInit(server: FlackServer): void {
    server.use(handshake(this.sessions, this.channels, this.config.get('ALLOWED_ORIGINS', { infer: true })));
  }

  async handleConnection(socket: FlackSocket): Promise<void> {
    const { user, joinedAtHandshake = [], missed } = socket.data;
    // What the handshake left for this moment is not kept for the socket's lifetime (an idle
    // socket's heap): from now on its data is its user.
    socket.data = { user };
    // Synchronous, so no event of this socket can run before its rooms are joined.
    socket.join([userRoom(user.id), ...joinedAtHandshake.map(channelRoom)]);
    // Then what it missed while away, before anything broadcast from now on.
    if (missed) replay(socket, missed);
    await this.connections.connected(user);
  }

  async handleDisconnect(socket: FlackSocket): Promise<void> {
    // A socket refused in the handshake never had a user.
    if (socket.data.user) await this.connections.disconnected(socket.data.user);
  }

  @SubscribeMessage('session:get')
  async snapshot(
    @SessionUser() user: User,
    @SessionSocket() socket: FlackSocket,
  ): Promise<AckResponse<SessionSnapshot>> {
    // Before the list is read: a change from now on reaches this socket, one before is in the list.
    socket.join(PRESENCE_WATCHERS);
    const [{ joined, lastChannel, channels }, online] = await Promise.all([
      this.channels.sessionOf(user.id),
      this.presence.online(),
    ]);
    const readStates = await this.messages.readStates(user, joined);
    return ok({ user, joined, lastChannel, channels, online, readStates });
  }

  @SubscribeMessage('session:forget')
  async forget(
    @SessionUser() user: User,
    @Ack() ack: ((response: AckResponse<null>) => void) | undefined,
  ): Promise<void> {
    await this.sessions.forget(user.id);
    // Before the tabs go, so the tab that asked learns it worked; a client may not have asked.
    ack?.(ok(null));
    this.server.to(userRoom(user.id)).emit('session:ended');
    this.server.in(userRoom(user.id)).disconnectSockets(true);
  }
}
