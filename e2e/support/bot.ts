// A second kind of "person": a socket.io-client in Node that speaks the typed contract directly.
// Used where driving the UI would only be slow (105 sends), or to read what the server says.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import type {
  AckResponse,
  Channel,
  ChannelWithHistory,
  ClaimNameResponse,
  ClientToServerEvents,
  ErrorBody,
  FileInfo,
  Message,
  SentMessage,
  ServerToClientEvents,
  User,
} from '@flack/contract';
import { uploadUrl } from '@flack/contract';

type FlackSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A refused request: the server's error body, kept whole so a test can compare its message. */
export class AckError extends Error {
  constructor(readonly body: ErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}

export class ChatBot {
  private constructor(
    readonly user: User,
    private readonly socket: FlackSocket,
    private readonly baseURL: string,
    private readonly token: string,
  ) {}

  /** Claims `name` over REST and connects a socket with the session token. */
  static async connect(baseURL: string, name: string): Promise<ChatBot> {
    const response = await fetch(`${baseURL}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseURL },
      body: JSON.stringify({ name }),
    });
    if (!response.ok)
      throw new Error(`POST /api/sessions answered ${response.status}: ${await response.text()}`);
    const { token, user } = (await response.json()) as ClaimNameResponse;
    const socket: FlackSocket = io(baseURL, {
      transports: ['websocket'],
      auth: { token },
      // A browser on the app's own origin would send this; the server allows same-origin.
      extraHeaders: { origin: baseURL },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(new Error(`socket refused: ${error.message}`)));
    });
    return new ChatBot(user, socket, baseURL, token);
  }

  createChannel(name: string): Promise<ChannelWithHistory> {
    return this.request((ack) => this.socket.emit('channel:create', { name }, ack));
  }

  join(channel: string): Promise<ChannelWithHistory> {
    return this.request((ack) => this.socket.emit('channel:join', { channel }, ack));
  }

  /**
   * Sends one message and resolves with the ack: the stored message's id, seq and time. A
   * rate-limited send is retried as the server asks.
   */
  send(channel: string, text: string, replyTo?: string): Promise<SentMessage> {
    const clientId = randomUUID();
    const payload =
      replyTo === undefined ? { channel, text, clientId } : { channel, text, clientId, replyTo };
    return this.request((ack) => this.socket.emit('message:send', payload, ack));
  }

  /** Uploads a file as this person (POST /api/files), ready to send with `sendFiles`. */
  async upload(name: string, bytes: Uint8Array): Promise<FileInfo> {
    const response = await fetch(this.baseURL + uploadUrl(name), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, origin: this.baseURL },
      body: bytes,
    });
    if (response.status !== 201)
      throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as FileInfo;
  }

  /** Sends a message with uploaded files (and optional text). */
  sendFiles(channel: string, text: string, files: FileInfo[]): Promise<SentMessage> {
    const payload = { channel, text, clientId: randomUUID(), files: files.map((file) => file.id) };
    return this.request((ack) => this.socket.emit('message:send', payload, ack));
  }

  /** Adds this person's `emoji` reaction to a message. */
  react(channel: string, id: string, emoji: string): Promise<Message> {
    return this.request((ack) => this.socket.emit('message:react', { channel, id, emoji }, ack));
  }

  setTopic(channel: string, topic: string): Promise<Channel> {
    return this.request((ack) => this.socket.emit('channel:topic', { channel, topic }, ack));
  }

  /** Shows as typing in a channel until it times out on the server. */
  startTyping(channel: string): Promise<null> {
    return this.request((ack) => this.socket.emit('typing:start', { channel }, ack));
  }

  members(channel: string): Promise<User[]> {
    return this.request((ack) => this.socket.emit('channel:members', { channel }, ack));
  }

  openDm(userId: string): Promise<ChannelWithHistory> {
    return this.request((ack) => this.socket.emit('dm:open', { userId }, ack));
  }

  close(): void {
    this.socket.disconnect();
  }

  private async request<T>(emit: (ack: (response: AckResponse<T>) => void) => void): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const response = await new Promise<AckResponse<T>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no acknowledgement within 5 s')), 5_000);
        emit((answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
      });
      if (response.ok) return response.data;
      if (response.error.code !== 'RATE_LIMITED' || attempt >= 20) throw new AckError(response.error);
      // The server says when to come back; the same payload (and clientId) is stored only once.
      await delay(response.error.retryAfterMs ?? 500);
    }
  }
}
