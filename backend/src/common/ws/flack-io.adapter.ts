import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { LIMITS, SOCKET_PATH } from '@flack/contract';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { redisStreamsAdapter } from '../../redis/socket-io-adapter.js';
import { refusingForeignPages } from '../http/origin.js';
import { sendSecurityHeadersFromSocketIo } from '../http/security-headers.js';
import { HotPaths } from './hot-path.js';
import { RecoveryBufferAdapter } from './recovery-buffer.adapter.js';
import { withRecoveryGate } from './recovery-gate.js';
import { dropIfNotReading, watchSlowReaders } from './slow-readers.js';

/** How long a dropped client may be away and still get what it missed replayed by Socket.IO. */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;
/** How long a shutdown waits for handlers that are still running before closing the sockets. */
const DRAIN_TIMEOUT_MS = 5000;

type Ack = (response: unknown) => void;
type BoundHandler = MessageMappingProperties & { isAckHandledManually?: boolean };

/**
 * What one socket keeps when hot paths are off (Nest's pipeline for every event, as the parity
 * test compares): the handlers Nest bound to it, as flat (event, callback, acks-itself) triples,
 * and each gateway's disconnect callback. With hot paths on, a socket keeps nothing of its own.
 */
interface BoundToSocket {
  handlers: unknown[];
  disconnects: ((reason: unknown) => void)[];
}

export interface FlackIoAdapterOptions {
  /**
   * Whether every gateway's handlers are called through HotPaths, without Nest's per-call
   * pipeline and per-socket binding (the default). Off, every event takes Nest's pipeline: the
   * parity test compares the two.
   */
  hotPaths?: boolean;
}

/**
 * Socket.IO for Flack: transport settings in one place, a lean way of calling handlers, and a
 * graceful close.
 */
export class FlackIoAdapter extends IoAdapter {
  private readonly log = new Logger(FlackIoAdapter.name);
  private hotPaths?: HotPaths;
  private readonly bound = new WeakMap<Socket, BoundToSocket>();
  private readonly servers = new WeakSet<object>();
  private inFlight = 0;
  private slowReaders?: NodeJS.Timeout;
  private drained?: () => void;
  private closing = false;

  constructor(
    private readonly app: INestApplicationContext,
    private readonly options: FlackIoAdapterOptions = {},
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const flackOptions: Partial<ServerOptions> = {
      ...options,
      path: SOCKET_PATH,
      // A frame above this closes only the socket that sent it.
      maxHttpBufferSize: LIMITS.maxFrameBytes,
      // Compression costs CPU per message and opens the door to compression side channels; chat
      // messages are small.
      perMessageDeflate: false,
      // Origins are checked at the Engine.IO handshake (allowRequest) and again at CONNECT; the
      // app is same-origin, so no CORS.
      cors: undefined,
      serveClient: false,
      // With REDIS_URL, rooms and recovery span every instance (Socket.IO's Redis streams adapter);
      // otherwise Socket.IO's in-memory adapter, with a bounded replay buffer.
      adapter: withRecoveryGate(redisStreamsAdapter(this.app) ?? RecoveryBufferAdapter),
      // A client back within the window gets the packets it missed and its rooms back, once the
      // handshake has found its token belongs to that session's user (see recovery-gate.ts).
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
      // Never a handshake from another site's page (origin.ts); once shutting down, none at all.
      allowRequest: refusingForeignPages(this.app, (_request, callback) =>
        callback(this.closing ? 'server shutting down' : null, !this.closing),
      ),
    };
    const created = super.createIOServer(port, flackOptions as ServerOptions) as Server;
    const server = sendSecurityHeadersFromSocketIo(this.app, created);
    this.slowReaders = watchSlowReaders(server);
    return server;
  }

  /**
   * Nest registers one connection listener per gateway, which binds every handler of the gateway
   * to the socket (a closure each) and asks for a disconnect callback (another). With hot paths on,
   * none of that is registered: one listener of this adapter gives the socket the two listeners all
   * sockets share (Socket.IO's `onAny`, and `disconnect`), and HotPaths calls each gateway's
   * `handleConnection` as Nest's listener would. Every event is then looked up in HotPaths, which
   * calls the same handler with the same steps (rate limit, validation, filter) without Nest's
   * per-call machinery, so an idle socket keeps nothing per handler or per gateway.
   */
  override bindClientConnect(server: Server, callback: (socket: Socket) => void): void {
    if (this.options.hotPaths === false) {
      super.bindClientConnect(server, callback);
      return;
    }
    if (this.servers.has(server)) return;
    this.servers.add(server);
    server.on('connection', (socket: Socket) => {
      const hotPaths = this.hotPathsOfApp();
      this.listen(socket);
      hotPaths.connected(socket);
    });
  }

  /**
   * Hot paths off only (Nest's connection listener calls this): the socket keeps the handlers
   * Nest bound to it, flat, and the shared `onAny` listener calls them through Nest's pipeline.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: BoundHandler[],
    _transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length === 0) return;
    const bound = this.boundTo(socket);
    for (const { message, callback, isAckHandledManually } of handlers) {
      bound.handlers.push(message, callback, isAckHandledManually === true);
    }
  }

  /** Hot paths off only: Nest asks once per gateway; the one `disconnect` listener calls them all, in order. */
  override bindClientDisconnect(client: Socket, callback: (reason: unknown) => void): void {
    this.boundTo(client).disconnects.push(callback);
  }

  private boundTo(socket: Socket): BoundToSocket {
    let bound = this.bound.get(socket);
    if (!bound) {
      bound = { handlers: [], disconnects: [] };
      this.bound.set(socket, bound);
      this.listen(socket);
    }
    return bound;
  }

  private listen(socket: Socket): void {
    socket.onAny(this.onEvent);
    socket.on('disconnect', this.onDisconnect);
  }

  /** One listener for every socket: Socket.IO calls `onAny` listeners with the socket as `this`. */
  private readonly onEvent = ((adapter: FlackIoAdapter) =>
    function (this: Socket, event: string, ...args: unknown[]): void {
      adapter.dispatch(this, event, args);
    })(this);

  private readonly onDisconnect = ((adapter: FlackIoAdapter) =>
    function (this: Socket, reason: unknown): void {
      if (adapter.hotPaths) adapter.hotPaths.disconnected(this, reason);
      else for (const callback of adapter.bound.get(this)?.disconnects ?? []) callback(reason);
    })(this);

  private dispatch(socket: Socket, event: string, args: unknown[]): void {
    const { data, ack } = splitArguments(args);
    if (this.hotPaths) {
      const route = this.hotPaths.route(event);
      if (route) void this.answer(socket, route(socket, data, ack), ack);
      return;
    }
    const handlers = this.bound.get(socket)?.handlers ?? [];
    for (let i = 0; i < handlers.length; i += 3) {
      if (handlers[i] !== event) continue;
      const callback = handlers[i + 1] as BoundHandler['callback'];
      const manualAck = handlers[i + 2] as boolean;
      // Nest's pipeline answers with an Observable (HotPaths routes answer with the value itself).
      const viaNest = async () => {
        const response = await callback(data, ack);
        return isObservable(response) ? lastValueFrom(response, { defaultValue: undefined }) : response;
      };
      void this.answer(socket, viaNest(), manualAck ? undefined : ack);
      return;
    }
  }

  private hotPathsOfApp(): HotPaths {
    return (this.hotPaths ??= this.app.get(HotPaths, { strict: false }));
  }

  /** Tells clients the server is going away, lets running handlers answer, then closes. */
  override async close(server: Server): Promise<void> {
    this.closing = true;
    clearInterval(this.slowReaders);
    server.emit('server:shutdown');
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, DRAIN_TIMEOUT_MS);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await this.closeConnectionsAfterFlush(server);
    await super.close(server);
  }

  /**
   * Socket.IO's own close discards what is still buffered, acks included. Closing each connection
   * first lets its buffer drain; clients see a transport close (not a server-side disconnect), so
   * they keep reconnecting until the server is back.
   */
  private async closeConnectionsAfterFlush(server: Server): Promise<void> {
    const connections = [...server.of('/').sockets.values()].map((socket) => socket.conn);
    const closed = connections.map(
      (connection) => new Promise((resolve) => connection.once('close', resolve)),
    );
    for (const connection of connections) connection.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
    clearTimeout(timer);
  }

  /** Acks what one running handler answers (a route never rejects: it answers its errors). */
  private async answer(socket: Socket, handling: Promise<unknown>, ack: Ack | undefined): Promise<void> {
    this.inFlight++;
    try {
      const response = await handling;
      // A client asking while it does not read gets no more answers queued, and is let go.
      if (response !== undefined && response !== null && ack && !dropIfNotReading(socket)) ack(response);
    } catch (error) {
      this.log.error(error);
    } finally {
      if (--this.inFlight === 0) this.drained?.();
    }
  }
}

/**
 * An event's payload and its ack callback, if the client asked for one. (Nest's `mapPayload`
 * hands a handler the whole argument list as its payload when there is no callback, so every
 * event with a payload failed validation, silently, for a client that did not ask for an answer.)
 */
export function splitArguments(args: unknown[]): { data: unknown; ack?: Ack } {
  const last = args.at(-1);
  const ack = typeof last === 'function' ? (last as Ack) : undefined;
  const count = ack ? args.length - 1 : args.length;
  // One payload, as nearly every event has: no copy of the list.
  const data = count > 1 ? args.slice(0, count) : count === 1 ? args[0] : undefined;
  return { data, ack };
}
