import type { Provider } from '@angular/core';
import type {
  AckResponse,
  Channel,
  ClientToServerEvents,
  ErrorBody,
  Message,
  ServerToClientEvents,
  SessionSnapshot,
  User,
} from '@flack/contract';
import { ACK_TIMEOUT_MS, SOCKET_FACTORY, type FlackSocket } from '../app/core/chat-socket';
import { SessionApi } from '../app/core/session-api';

type Handler = (...args: unknown[]) => void;
type Responder = (...payload: unknown[]) => AckResponse<unknown> | Promise<AckResponse<unknown>>;

/**
 * A stand-in for the Socket.IO client: tests play the server. They answer client events with
 * `answer()`, push server events with `serverEmit()`, and drive the connection with
 * `acceptConnection()`, `drop()` and `refuse()`.
 */
export class FakeSocket {
  connected = false;
  active = false;
  /** Every client event sent, with its payload (the ack left out). */
  readonly sent: { event: string; payload: unknown }[] = [];
  connectCalls = 0;
  /** Set by the factory: what the app would send as `auth` right now. */
  auth: ((cb: (data: { token: string | null }) => void) => void) | null = null;

  private readonly handlers = new Map<string, Handler[]>();
  private readonly responders = new Map<string, Responder>();

  /** Accept every connection attempt straight away (the default), or leave it to the test. */
  constructor(private readonly autoAccept = true) {}

  /** The token the app would authenticate with now. */
  authToken(): string | null {
    let token: string | null = null;
    this.auth?.((data) => (token = data.token));
    return token;
  }

  // --- what the app calls -------------------------------------------------------------------

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  off(event: string, handler: Handler): this {
    this.handlers.set(
      event,
      (this.handlers.get(event) ?? []).filter((known) => known !== handler),
    );
    return this;
  }

  connect(): this {
    this.connectCalls++;
    this.active = true;
    if (this.autoAccept) this.acceptConnection();
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    this.connected = false;
    this.active = false;
    if (wasConnected) this.fire('disconnect', 'io client disconnect');
    return this;
  }

  timeout(_ms: number) {
    return {
      emitWithAck: (event: string, ...payload: unknown[]): Promise<AckResponse<unknown>> => {
        this.sent.push({ event, payload: payload[0] });
        const responder = this.responders.get(event);
        if (!responder) return Promise.reject(new Error('operation has timed out'));
        return Promise.resolve(responder(...payload));
      },
    };
  }

  // --- what the test calls ------------------------------------------------------------------

  /** How the fake server answers a client event from now on. */
  answer<E extends keyof ClientToServerEvents>(event: E, responder: Responder): this {
    this.responders.set(event, responder);
    return this;
  }

  answerOk<E extends keyof ClientToServerEvents>(event: E, data: unknown): this {
    return this.answer(event, () => ({ ok: true, data }));
  }

  answerError<E extends keyof ClientToServerEvents>(event: E, error: ErrorBody): this {
    return this.answer(event, () => ({ ok: false, error }));
  }

  /** Leave a client event unanswered: the request times out. */
  silence<E extends keyof ClientToServerEvents>(event: E): this {
    this.responders.delete(event);
    return this;
  }

  serverEmit<E extends keyof ServerToClientEvents>(
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void {
    this.fire(event, ...payload);
  }

  acceptConnection(): void {
    this.connected = true;
    this.active = true;
    this.fire('connect');
  }

  /** The transport closed; Socket.IO keeps trying by itself. */
  drop(reason = 'transport close'): void {
    this.connected = false;
    this.fire('disconnect', reason);
  }

  /** The server refused the handshake (a middleware error): Socket.IO stops trying. */
  refuse(code: string): void {
    this.connected = false;
    this.active = false;
    this.fire('connect_error', Object.assign(new Error(code), { data: { code } }));
  }

  listenerCount(event: string): number {
    return this.handlers.get(event)?.length ?? 0;
  }

  sentEvents(event: string): unknown[] {
    return this.sent.filter((entry) => entry.event === event).map((entry) => entry.payload);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

export function provideFakeSocket(socket: FakeSocket): Provider[] {
  return [
    {
      provide: SOCKET_FACTORY,
      useValue: (auth: FakeSocket['auth']) => {
        socket.auth = auth;
        return Promise.resolve(socket as unknown as FlackSocket);
      },
    },
    { provide: ACK_TIMEOUT_MS, useValue: 50 },
  ];
}

/** Lets pending promises and the socket's lazy load settle. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Lets socket answers arrive and the view render what they changed, twice over (answers cause requests). */
export async function settleView(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  for (let round = 0; round < 2; round++) {
    await settle();
    await fixture.whenStable();
  }
}

// --- test data ----------------------------------------------------------------------------------

export const alice: User = { id: 'u-alice', name: 'Alice' };
export const bob: User = { id: 'u-bob', name: 'Bob' };

export function channel(name: string, extra: Partial<Channel> = {}): Channel {
  return {
    id: name.toLowerCase(),
    name,
    members: 1,
    messages: 0,
    createdAt: '2025-01-01T09:00:00.000Z',
    lastMessageAt: null,
    ...extra,
  };
}

let nextId = 1;
export function message(channelId: string, seq: number, text: string, author: User = bob): Message {
  return {
    id: `m-${channelId}-${seq}-${nextId++}`,
    channel: channelId,
    seq,
    author,
    text,
    createdAt: new Date(Date.UTC(2025, 0, 1, 9, seq)).toISOString(),
    clientId: `c-${nextId}`,
  };
}

export function snapshot(overrides: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    user: alice,
    joined: [],
    lastChannel: null,
    channels: [],
    online: [],
    readStates: [],
    ...overrides,
  };
}

/** The fake socket plus a REST client that grants every name, as `alice`. */
export function provideFakeServer(socket: FakeSocket, claimName = jest.fn()): Provider[] {
  claimName.mockImplementation((name: string) =>
    Promise.resolve({ token: `token-for-${name}`, user: { ...alice, name } }),
  );
  return [...provideFakeSocket(socket), { provide: SessionApi, useValue: { claimName } }];
}
