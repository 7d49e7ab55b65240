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
 * What one socket keeps: the handlers Nest bound to it that have no hot route, as flat
 * (event, callback, acks-itself) triples, and each gateway's disconnect callback.
 */
interface BoundToSocket {
  cold: unknown[];
  disconnects: ((reason: unknown) => void)[];
}

export interface FlackIoAdapterOptions {
  /**
   * Whether `@HotPath()` handlers skip Nest's per-call pipeline (the default). Off, every event
   * takes Nest's pipeline: the parity test compares the two.
   */
  hotPaths?: boolean;
}

/**
 * Socket.IO for Flack: transport settings in one place, a lean way of calling handlers, and a
 * graceful close.
 */
export class FlackIoAdapter extends IoAdapter {
  private readonly log = new Logger(FlackIoAdapter.name);
  private hotPaths?: HotPaths | null;
  private readonly bound = new WeakMap<Socket, BoundToSocket>();
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
   * Nest's IoAdapter builds an RxJS pipeline per event per socket. This binds one listener per
   * socket instead (Socket.IO's `onAny`, a method shared by all sockets), which looks the event up
   * and calls the same handler (guards, pipes and filters included) — or, for a `@HotPath()`
   * handler, its hot route, which takes the same steps without Nest's per-call machinery. A socket
   * keeps only the handlers Nest bound to it that have no hot route, flat, since idle connections
   * are most of the heap. It also counts handlers still running, so a shutdown can wait for their
   * acks.
   */
  override bindMessageHandlers(
    socket: Socket,
    handlers: BoundHandler[],
    _transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length === 0) return;
    const bound = this.boundTo(socket);
    const hotPaths = this.hotPathsOfApp();
    for (const { message, callback, isAckHandledManually } of handlers) {
      if (!hotPaths?.route(message)) bound.cold.push(message, callback, isAckHandledManually === true);
    }
  }

  /** Nest asks once per gateway; one `disconnect` listener per socket calls them all, in order. */
  override bindClientDisconnect(client: Socket, callback: (reason: unknown) => void): void {
    this.boundTo(client).disconnects.push(callback);
  }

  private boundTo(socket: Socket): BoundToSocket {
    let bound = this.bound.get(socket);
    if (!bound) {
      bound = { cold: [], disconnects: [] };
      this.bound.set(socket, bound);
      socket.onAny(this.onEvent);
      socket.on('disconnect', this.onDisconnect);
    }
    return bound;
  }

  /** One listener for every socket: Socket.IO calls `onAny` listeners with the socket as `this`. */
  private readonly onEvent = ((adapter: FlackIoAdapter) =>
    function (this: Socket, event: string, ...args: unknown[]): void {
      adapter.dispatch(this, event, args);
    })(this);

  private readonly onDisconnect = ((adapter: FlackIoAdapter) =>
    function (this: Socket, reason: unknown): void {
      for (const callback of adapter.bound.get(this)?.disconnects ?? []) callback(reason);
    })(this);

  private dispatch(socket: Socket, event: string, args: unknown[]): void {
    const hot = this.hotPathsOfApp()?.route(event);
    const { data, ack } = splitArguments(args);
    if (hot) {
      void this.answer(socket, () => hot(socket, data), ack);
      return;
    }
    const cold = this.bound.get(socket)?.cold ?? [];
    for (let i = 0; i < cold.length; i += 3) {
      if (cold[i] !== event) continue;
      const callback = cold[i + 1] as BoundHandler['callback'];
      const manualAck = cold[i + 2] as boolean;
      void this.answer(socket, () => callback(data, ack), manualAck ? undefined : ack);
      return;
    }
  }

  private hotPathsOfApp(): HotPaths | null {
    if (this.hotPaths === undefined) {
      this.hotPaths = this.options.hotPaths === false ? null : this.app.get(HotPaths, { strict: false });
    }
    return this.hotPaths;
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

  /** Runs one handler and acks what it answers (Nest handlers may answer with an Observable). */
  private async answer(socket: Socket, handler: () => unknown, ack: Ack | undefined): Promise<void> {
    this.inFlight++;
    try {
      let response = await handler();
      if (isObservable(response)) response = await lastValueFrom(response, { defaultValue: undefined });
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
  const payload = ack ? args.slice(0, -1) : args;
  return { data: payload.length > 1 ? payload : payload[0], ack };
}
