import { Logger, UseFilters, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  Ack,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type {
  AckResponse,
  Channel,
  ChannelWithHistory,
  HandshakeErrorCode,
  HistoryPage,
  Message,
  SessionSnapshot,
  User,
} from '@flack/contract';
import { ChannelsService } from '../channels/channels.service.js';
import { ChannelRefDto, CreateChannelDto, HistoryDto, OpenDmDto } from '../channels/dto/channel.dto.js';
import { AppError } from '../common/app-error.js';
import { FlackIoAdapter } from '../common/flack-io.adapter.js';
import { isOriginAllowed } from '../common/origin.js';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.service.js';
import { SessionUser } from '../common/session-user.decorator.js';
import { channelRoom, userRoom, type FlackServer, type FlackSocket } from '../common/socket-types.js';
import { ok } from '../common/ack.js';
import { createValidationPipe } from '../common/validation.js';
import { WsAckExceptionFilter } from '../common/ws-ack-exception.filter.js';
import type { Env } from '../config/env.js';
import { PresenceService } from '../presence/presence.service.js';
import { TypingService } from '../presence/typing.service.js';
import { UsersService } from '../users/users.service.js';
import { SendMessageDto } from './dto/send-message.dto.js';
import { MessagesService } from './messages.service.js';

const validated = createValidationPipe();
const SEND_MESSAGE_BODY = { type: 'body', metatype: SendMessageDto } as const;

/** A refused handshake; the client sees `err.message` and `err.data.code` on `connect_error`. */
class HandshakeError extends Error {
  readonly data: { code: HandshakeErrorCode };
  constructor(code: HandshakeErrorCode, message: string) {
    super(message);
    this.data = { code };
  }
}

/**
 * Translates socket events into service calls and service results into acks and broadcasts. Rules
 * live in the services; identity comes only from the handshake (`@SessionUser()`).
 */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);
  private readonly errors = new WsAckExceptionFilter();
  @WebSocketServer() private readonly server!: FlackServer;

  constructor(
    private readonly users: UsersService,
    private readonly channels: ChannelsService,
    private readonly messages: MessagesService,
    private readonly config: ConfigService<Env, true>,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly limiter: RateLimiter,
  ) {}

  afterInit(server: FlackServer): void {
    const allowedOrigins = this.config.get('ALLOWED_ORIGINS', { infer: true });
    // Runs before a socket exists: a refused client never reaches a handler.
    server.use((socket, next) => {
      const { headers, auth } = socket.handshake;
      if (!isOriginAllowed(headers.origin, headers.host, allowedOrigins)) {
        return next(new HandshakeError('ORIGIN_FORBIDDEN', 'This page is not allowed to connect to Flack.'));
      }
      const token: unknown = auth?.['token'];
      if (token === undefined || token === null || token === '') {
        return next(new HandshakeError('TOKEN_MISSING', 'Choose a display name first.'));
      }
      this.users
        .authenticate(token)
        .then(async (user) => {
          if (!user) {
            return next(
              new HandshakeError('SESSION_UNKNOWN', 'Your session has ended. Please sign in again.'),
            );
          }
          const { joined } = await this.channels.membershipOf(user.id);
          socket.data.user = user;
          socket.data.joinedAtHandshake = joined;
          next();
        })
        .catch((error: unknown) => {
          this.logger.error(error);
          next(new Error('The server could not check your session. Please try again.'));
        });
    });
    FlackIoAdapter.handleDirectly(server, 'message:send', (socket, payload) =>
      this.receiveMessage(socket as FlackSocket, payload),
    );
  }

  async handleConnection(socket: FlackSocket): Promise<void> {
    const { user, joinedAtHandshake } = socket.data;
    const rooms = [userRoom(user.id), ...joinedAtHandshake.map(channelRoom)];
    if (socket.recovered) {
      // Socket.IO restored the rooms this socket had when it dropped; channels left meanwhile (from
      // another tab) must not keep delivering to it.
      const wanted = new Set(rooms);
      for (const room of socket.rooms) if (room !== socket.id && !wanted.has(room)) socket.leave(room);
    }
    // Synchronous, so no event of this socket can run before its rooms are joined.
    socket.join(rooms);
    await this.users.socketConnected(user.id);
  }

  async handleDisconnect(socket: FlackSocket): Promise<void> {
    // A socket refused in the handshake never had a user.
    if (socket.data.user) await this.users.socketDisconnected(socket.data.user.id);
  }

  @SubscribeMessage('session:get')
  async snapshot(@SessionUser() user: User): Promise<AckResponse<SessionSnapshot>> {
    const [{ joined, lastChannel }, channels] = await Promise.all([
      this.channels.membershipOf(user.id),
      this.channels.listFor(user.id),
    ]);
    const readStates = await this.messages.readStates(user, joined);
    const online = await this.presence.online();
    return ok({ user, joined, lastChannel, channels, online, readStates });
  }

  @SubscribeMessage('session:forget')
  async forget(@SessionUser() user: User, @Ack() ack: (response: AckResponse<null>) => void): Promise<void> {
    await this.users.forget(user.id);
    await this.messages.forgetReader(user.id);
    ack(ok(null));
    // After the ack, so the tab that asked learns it worked before its socket goes.
    this.server.to(userRoom(user.id)).emit('session:ended');
    this.server.in(userRoom(user.id)).disconnectSockets(true);
  }

  @SubscribeMessage('channel:list')
  async list(): Promise<AckResponse<Channel[]>> {
    return ok(await this.channels.list());
  }

  @SubscribeMessage('channel:create')
  @RateLimit('channelCreate')
  async create(
    @SessionUser() user: User,
    @MessageBody(validated) { name }: CreateChannelDto,
  ): Promise<AckResponse<ChannelWithHistory>> {
    const channel = await this.channels.create(user.id, name);
    await this.messages.markJoined(user.id, channel.id);
    this.server.in(userRoom(user.id)).socketsJoin(channelRoom(channel.id));
    this.server.emit('channel:created', channel);
    this.server.to(userRoom(user.id)).emit('channel:joined', channel);
    return ok({ channel, messages: [] });
  }

  @SubscribeMessage('channel:join')
  async join(
    @SessionUser() user: User,
    @MessageBody(validated) { channel: ref }: ChannelRefDto,
  ): Promise<AckResponse<ChannelWithHistory>> {
    const { channel, newlyJoined } = await this.channels.join(user.id, ref);
    if (newlyJoined) {
      await this.messages.markJoined(user.id, channel.id);
      this.server.in(userRoom(user.id)).socketsJoin(channelRoom(channel.id));
      this.server.to(userRoom(user.id)).emit('channel:joined', channel);
      this.server
        .to(channelRoom(channel.id))
        .emit('channel:membership', { channel: channel.id, user, joined: true });
    }
    return ok({ channel, messages: await this.messages.recent(channel.id) });
  }

  @SubscribeMessage('dm:open')
  @RateLimit('message')
  async openDm(
    @SessionUser() user: User,
    @MessageBody(validated) { userId }: OpenDmDto,
  ): Promise<AckResponse<ChannelWithHistory>> {
    const [peer] = await this.users.findMany([userId]);
    if (!peer) throw new AppError('NOT_FOUND', 'There is nobody with that name any more.');
    const { channel, added } = await this.channels.openDm(user, peer);
    for (const person of added) {
      await this.messages.markJoined(person.id, channel.id);
      this.server.in(userRoom(person.id)).socketsJoin(channelRoom(channel.id));
      // Every tab of both people lists the conversation from now on; nobody else hears of it.
      this.server.to(userRoom(person.id)).emit('channel:joined', channel);
    }
    return ok({ channel, messages: await this.messages.recent(channel.id) });
  }

  @SubscribeMessage('channel:leave')
  async leave(
    @SessionUser() user: User,
    @MessageBody(validated) { channel: ref }: ChannelRefDto,
  ): Promise<AckResponse<null>> {
    const channel = await this.channels.leave(user.id, ref);
    this.server.in(userRoom(user.id)).socketsLeave(channelRoom(channel.id));
    await this.typing.stop(channel.id, user.id);
    this.server.to(userRoom(user.id)).emit('channel:left', { channel: channel.id });
    this.server
      .to(channelRoom(channel.id))
      .emit('channel:membership', { channel: channel.id, user, joined: false });
    return ok(null);
  }

  @SubscribeMessage('channel:history')
  async history(
    @SessionUser() user: User,
    @MessageBody(validated) { channel, afterSeq }: HistoryDto,
  ): Promise<AckResponse<HistoryPage>> {
    return ok(await this.messages.history(user.id, channel, afterSeq));
  }

  /**
   * `message:send`, the one event that comes thousands of times a second. It skips Nest's per-call
   * pipeline (guards, pipes and filters cost a dozen promises and ~10 kB of garbage per call) and is
   * bound by FlackIoAdapter.handleDirectly instead; it takes the same steps in line: the rate limit
   * (RateLimitGuard), the validation pipe, `send`, and errors answered as WsAckExceptionFilter
   * answers them.
   */
  private async receiveMessage(socket: FlackSocket, payload: unknown): Promise<AckResponse<Message>> {
    try {
      const { user } = socket.data;
      await this.limiter.consume('message', user.id);
      const message = (await validated.transform(payload, SEND_MESSAGE_BODY)) as SendMessageDto;
      return await this.send(user, message);
    } catch (error) {
      return this.errors.responseFor(error);
    }
  }

  /** Stores and broadcasts a validated message (see `receiveMessage`). */
  async send(user: User, payload: SendMessageDto): Promise<AckResponse<Message>> {
    const { message, duplicate } = await this.messages.send(user, payload);
    // A retry was delivered the first time; only its ack was lost.
    if (!duplicate) this.server.to(channelRoom(message.channel)).emit('message:new', message);
    return ok(message);
  }
}
