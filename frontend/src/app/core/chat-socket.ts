import { Injectable, InjectionToken, inject } from '@angular/core';
import {
  SOCKET_PATH,
  type AckResponse,
  type ClientToServerEvents,
  type HandshakeErrorData,
  type ServerToClientEvents,
} from '@flack/contract';
import { Observable } from 'rxjs';
import type { Socket } from 'socket.io-client';
import { CLIENT_ERRORS, RequestError } from './app-error';

export type FlackSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Builds the one socket of the app. Socket.IO is loaded on demand, on the first `connect()`, which
 * keeps it out of the initial bundle and off the sign-in page's first visit. Tests provide a fake.
 */
export const SOCKET_FACTORY = new InjectionToken<(auth: AuthCallback) => Promise<FlackSocket>>(
  'SOCKET_FACTORY',
  {
    providedIn: 'root',
    factory: () => async (auth) => {
      const { io } = await import('socket.io-client');
      return io({
        path: SOCKET_PATH,
        transports: ['websocket'],
        autoConnect: false,
        auth,
        // A handshake cut off halfway is given up after this and tried again (Socket.IO waits 20 s).
        timeout: 5_000,
      }) as FlackSocket;
    },
  },
);

/** How long a request waits for its acknowledgement. */
export const ACK_TIMEOUT_MS = new InjectionToken<number>('ACK_TIMEOUT_MS', {
  providedIn: 'root',
  factory: () => 10_000,
});

type AuthCallback = (cb: (data: { token: string | null }) => void) => void;

/** The payload of a server event (`undefined` for events without one). */
export type ServerEventPayload<E extends keyof ServerToClientEvents> =
  Parameters<ServerToClientEvents[E]> extends [infer P, ...unknown[]] ? P : undefined;

type ClientEventArgs<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]> extends [...infer Args, unknown] ? Args : never;

/** What a client event's acknowledgement carries when it succeeds. */
export type ClientEventResult<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]> extends [...unknown[], (response: AckResponse<infer T>) => void]
    ? T
    : never;

/** A refused handshake, as `connect_error` reports it. */
export interface ConnectError extends Error {
  data?: Partial<HandshakeErrorData>;
}

/** Socket.IO's own reasons, plus the ones the server adds. */
export type DisconnectReason = Socket.DisconnectReason;

/**
 * The typed Socket.IO client. One socket for the life of the app; the token is read on every
 * (re)connect, so a reconnect after a re-claimed name uses the new one.
 */
@Injectable({ providedIn: 'root' })
export class ChatSocket {
  private readonly timeoutMs = inject(ACK_TIMEOUT_MS);
  private token: string | null = null;
  /** Null until Socket.IO has loaded; what is asked before that waits in `pending`, in call order. */
  private socket: FlackSocket | null = null;
  private pending: ((socket: FlackSocket) => void)[] = [];

  /** Socket.IO's own connection events, fired on every (re)connect attempt. */
  readonly connects: Observable<void> = this.listen<void>('connect');
  readonly disconnects: Observable<DisconnectReason> = this.listen<DisconnectReason>('disconnect');
  readonly connectErrors: Observable<ConnectError> = this.listen<ConnectError>('connect_error');

  private readonly createSocket = inject(SOCKET_FACTORY);
  private loading = false;

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** True while Socket.IO is trying to (re)connect by itself; false after a refused handshake. */
  get active(): boolean {
    return this.socket?.active ?? false;
  }

  /** Connects with `token`, or again with the current one; an open connection is closed first. */
  connect(token: string | null = this.token): void {
    this.token = token;
    this.load();
    this.withSocket((socket) => {
      if (socket.connected) socket.disconnect();
      socket.connect();
    });
  }

  disconnect(): void {
    this.token = null;
    this.withSocket((socket) => socket.disconnect());
  }

  /** A server event as an Observable; unsubscribing removes this subscription's handler only. */
  on<E extends keyof ServerToClientEvents>(event: E): Observable<ServerEventPayload<E>> {
    return this.listen<ServerEventPayload<E>>(event);
  }

  /**
   * Sends a client event and resolves with its acknowledged data. Rejects with a `RequestError`
   * carrying the server's `ErrorBody`, or OFFLINE / TIMEOUT when there is no answer to wait for.
   */
  request<E extends keyof ClientToServerEvents>(
    event: E,
    ...args: ClientEventArgs<E>
  ): Promise<ClientEventResult<E>> {
    return this.requestWithin(this.timeoutMs, event, ...args);
  }

  /** `request`, waiting `timeoutMs` for the acknowledgement instead of the default. */
  async requestWithin<E extends keyof ClientToServerEvents>(
    timeoutMs: number,
    event: E,
    ...args: ClientEventArgs<E>
  ): Promise<ClientEventResult<E>> {
    if (!this.socket?.connected) throw new RequestError(CLIENT_ERRORS.OFFLINE);
    let response: AckResponse<ClientEventResult<E>>;
    try {
      // The generic event maps cannot be narrowed per call; the signature above keeps callers typed.
      const emitter = this.socket.timeout(timeoutMs) as unknown as {
        emitWithAck(event: string, ...args: unknown[]): Promise<AckResponse<ClientEventResult<E>>>;
      };
      response = await emitter.emitWithAck(event, ...args);
    } catch {
      throw new RequestError(CLIENT_ERRORS.TIMEOUT);
    }
    if (!response.ok) throw new RequestError(response.error);
    return response.data;
  }

  /** Fetches Socket.IO once, when there is a session to connect; what waited runs then, in order. */
  private load(): void {
    if (this.loading) return;
    this.loading = true;
    void this.createSocket((cb) => cb({ token: this.token })).then((socket) => {
      this.socket = socket;
      for (const action of this.pending) action(socket);
      this.pending = [];
    });
  }

  /** Now if Socket.IO is loaded, else as soon as it is (after what was asked before). */
  private withSocket(action: (socket: FlackSocket) => void): void {
    if (this.socket) action(this.socket);
    else this.pending.push(action);
  }

  private listen<T>(event: string): Observable<T> {
    type Untyped = { on(event: string, handler: (payload: T) => void): void } & {
      off(event: string, handler: (payload: T) => void): void;
    };
    return new Observable<T>((subscriber) => {
      const handler = (payload: T) => subscriber.next(payload);
      let unsubscribed = false;
      this.withSocket((socket) => {
        if (!unsubscribed) (socket as unknown as Untyped).on(event, handler);
      });
      return () => {
        unsubscribed = true;
        (this.socket as unknown as Untyped | null)?.off(event, handler);
      };
    });
  }
}
