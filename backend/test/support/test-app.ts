import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type {
  AckResponse,
  ClaimNameResponse,
  ClientToServerEvents,
  ErrorBody,
  Message,
  SendMessagePayload,
  SentMessage,
  ServerToClientEvents,
} from '@flack/contract';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../../src/app.factory.js';
import type { EnvOverrides } from '../../src/app.module.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type EventName = keyof ClientToServerEvents;
/** The payload an event takes, or `[]` for events that only take an ack. */
type PayloadOf<E extends EventName> =
  Parameters<ClientToServerEvents[E]> extends [infer Ack]
    ? Ack extends (...args: never[]) => void
      ? []
      : never
    : Parameters<ClientToServerEvents[E]> extends [infer P, unknown]
      ? [P]
      : never;
type DataOf<E extends EventName> =
  Parameters<ClientToServerEvents[E]> extends [...unknown[], (response: AckResponse<infer T>) => void]
    ? T
    : never;

/**
 * A fresh server with no channel at all (no `#general`), as most suites expect; a suite about the
 * default channels sets DEFAULT_CHANNELS itself.
 */
export const NO_DEFAULT_CHANNELS: EnvOverrides = { DEFAULT_CHANNELS: '' };

export const LIFTED_RATE_LIMITS: EnvOverrides = {
  MESSAGE_RATE_PER_SECOND: '100000',
  MESSAGE_BURST: '100000',
  CHANNEL_CREATES_PER_MINUTE: '100000',
  CHANNEL_JOINS_PER_MINUTE: '100000',
  HISTORY_REQUESTS_PER_MINUTE: '100000',
  SEARCHES_PER_MINUTE: '100000',
  NAME_CLAIMS_PER_MINUTE: '100000',
  TOPIC_CHANGES_PER_MINUTE: '100000',
  MAX_CHANNELS_PER_USER: '1000',
};

/** A real Flack server on a free port of 127.0.0.1, configured as in production. */
export class TestServer {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
  ) {}

  /**
   * Rate limits are lifted unless a test sets them: most suites send faster than a person could
   * type. The security suite runs with the real defaults.
   */
  static async start(overrides: EnvOverrides = {}): Promise<TestServer> {
    const app = await createApp({
      LOG_LEVEL: 'silent',
      ...LIFTED_RATE_LIMITS,
      ...NO_DEFAULT_CHANNELS,
      ...overrides,
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new TestServer(app, `http://127.0.0.1:${port}`);
  }

  private readonly sockets = new Set<ClientSocket>();

  async claim(name: string): Promise<ClaimNameResponse> {
    const response = await this.post('/api/sessions', { name });
    if (response.status !== 201)
      throw new Error(`claim ${name}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as ClaimNameResponse;
  }

  async post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(this.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async get(path: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(this.url + path);
    return { status: response.status, body: await response.json() };
  }

  /** A socket that is not connected yet; `autoConnect` off so a test can attach listeners first. */
  socket(token: string | undefined, options: { origin?: string } = {}): ClientSocket {
    const socket: ClientSocket = io(this.url, {
      transports: ['websocket'],
      auth: token === undefined ? {} : { token },
      reconnection: false,
      forceNew: true,
      autoConnect: false,
      extraHeaders: options.origin ? { origin: options.origin } : undefined,
    });
    this.sockets.add(socket);
    return socket;
  }

  /** Claims a name and connects a socket with its token. */
  async user(name: string): Promise<TestUser> {
    const session = await this.claim(name);
    const socket = await connected(this.socket(session.token));
    return new TestUser(session, socket);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.disconnect();
    await this.app.close();
  }
}

export class TestUser {
  constructor(
    readonly session: ClaimNameResponse,
    readonly socket: ClientSocket,
  ) {}

  get id(): string {
    return this.session.user.id;
  }

  /** Emits and resolves with the data of a successful ack; throws with the error body otherwise. */
  async call<E extends EventName>(event: E, ...payload: PayloadOf<E>): Promise<DataOf<E>> {
    const response = await ack(this.socket, event, ...payload);
    if (!response.ok)
      throw Object.assign(new Error(`${event}: ${response.error.code}`), { body: response.error });
    return response.data;
  }

  /** Emits and resolves with the error of a failed ack; throws if it succeeded. */
  async fail<E extends EventName>(event: E, ...payload: PayloadOf<E>): Promise<ErrorBody> {
    const response = await ack(this.socket, event, ...payload);
    if (response.ok) throw new Error(`${event} succeeded: ${JSON.stringify(response.data)}`);
    return response.error;
  }
}

/** Emits with an ack and a timeout, so a missing ack fails the test instead of hanging it. */
export function ack<E extends EventName>(
  socket: ClientSocket,
  event: E,
  ...payload: PayloadOf<E>
): Promise<AckResponse<DataOf<E>>> {
  // The typed overloads cannot follow a generic event name; the wrapper's signature keeps callers typed.
  const untyped = socket.timeout(5000) as unknown as {
    emitWithAck(event: string, ...args: unknown[]): Promise<AckResponse<DataOf<E>>>;
  };
  return untyped.emitWithAck(event, ...payload);
}

export function connected(socket: ClientSocket): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
    socket.connect();
  });
}

/** Resolves with the `connect_error` of a handshake that must be refused. */
export function refused(socket: ClientSocket): Promise<Error & { data?: { code?: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected, but should have been refused')));
    socket.once('connect_error', resolve);
    socket.connect();
  });
}

/** Collects every event of one name a socket receives, for later assertions. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  const listener = ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never;
  socket.on(event, listener);
  return seen;
}

/** Waits for the next event of a name. */
export function next<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    }) as never);
  });
}

/**
 * A round trip through the server: once it answers, every event it emitted before answering has
 * reached this socket too (one connection delivers in order). Lets a test say "nothing arrived"
 * without sleeping.
 */
export async function settle(...users: TestUser[]): Promise<void> {
  await Promise.all(users.map((user) => user.call('channel:list')));
}

/** Sends a message with a new clientId, or with the given one to retry a send. */
export function send(
  user: TestUser,
  channel: string,
  text: string,
  clientId = randomUUID(),
): Promise<Message> {
  return sendMessage(user, { channel, text, clientId });
}

/**
 * Sends a message and resolves with it as the sender's own socket receives it (`message:new`, which
 * may come before or after the ack), once the ack, which says only `id`, `seq` and `createdAt`,
 * has named that very message. Throws with the error body of a refused send, like `call`.
 */
export async function sendMessage(user: TestUser, payload: SendMessagePayload): Promise<Message> {
  let stopListening = () => {};
  const broadcast = new Promise<Message>((resolve, reject) => {
    const timer = setTimeout(() => {
      stopListening();
      reject(new Error(`no message:new for clientId ${payload.clientId} within 5 s`));
    }, 5000);
    const listener = (message: Message) => {
      if (message.clientId !== payload.clientId || message.author.id !== user.id) return;
      stopListening();
      resolve(message);
    };
    stopListening = () => {
      clearTimeout(timer);
      user.socket.off('message:new', listener);
    };
    user.socket.on('message:new', listener);
  });
  let sent: SentMessage;
  try {
    sent = await user.call('message:send', payload);
  } catch (error) {
    stopListening();
    broadcast.catch(() => undefined);
    throw error;
  }
  const message = await broadcast;
  const named = { id: message.id, seq: message.seq, createdAt: message.createdAt };
  if (JSON.stringify(sent) !== JSON.stringify(named))
    throw new Error(`the ack ${JSON.stringify(sent)} does not name the message ${JSON.stringify(named)}`);
  return message;
}

/** Alice creates a channel, Bob joins it. */
export async function twoInAChannel(
  server: TestServer,
): Promise<{ alice: TestUser; bob: TestUser; channel: string }> {
  const alice = await server.user(uniqueName('alice'));
  const bob = await server.user(uniqueName('bob'));
  const channel = (await alice.call('channel:create', { name: uniqueName('room') })).channel.id;
  await bob.call('channel:join', { channel });
  return { alice, bob, channel };
}

let counter = 0;
/** A name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}${++counter}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Polls `check` until it holds, or fails with `what` after `timeoutMs`: for what arrives a little
 * later by design (presence batches, another instance, an expiry).
 */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
