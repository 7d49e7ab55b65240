import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import type { ClientSocket, TestServer } from './test-app.js';

/**
 * Waits until every client is connected with nothing left to catch up. A transport dropped by the
 * last sends closes asynchronously and reconnects a moment later, so this settles until a full
 * round sees no new connection; each round trip also proves that every broadcast sent before it has
 * arrived.
 */
export async function settleAll(clients: SyncingClient[]): Promise<void> {
  for (let before = -1, after = 0; before !== after;) {
    before = clients.reduce((sum, client) => sum + client.connections, 0);
    await Promise.all(clients.map((client) => client.settled()));
    await Promise.all(clients.map((client) => client.socket.emitWithAck('channel:list')));
    await new Promise((resolve) => setTimeout(resolve, 50));
    after = clients.reduce((sum, client) => sum + client.connections, 0);
  }
}

/**
 * A client that follows Flack's delivery rules the way the Angular app does: it keeps each
 * channel's messages by `seq` (so a message seen twice is shown once), fills gaps by asking for
 * what came after the last message it has, and resends unacknowledged messages with the same
 * `clientId` until the server answers.
 */
export class SyncingClient {
  /** Channel id → seq → message. */
  readonly views = new Map<string, Map<number, Message>>();
  /**
   * Channel id → the seq below which nothing is expected: everything after it, up to the newest
   * message, belongs in the view. Set from the history a join or a catch-up returns.
   */
  private readonly floors = new Map<string, number>();
  /** clientId → the message the server acknowledged. */
  readonly acked = new Map<string, Message>();
  socket!: ClientSocket;
  catchUps = 0;
  /** How many times a socket of this client connected; lets a test wait for the dust to settle. */
  connections = 0;
  private catchingUp?: Promise<void>;
  private catchUpWanted = false;

  constructor(
    private readonly server: TestServer,
    readonly token: string,
    channels: string[],
  ) {
    for (const channel of channels) this.views.set(channel, new Map());
  }

  /** Opens a socket (replacing any previous one, which loses Socket.IO's recovery state). */
  async connect(): Promise<void> {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    const socket: ClientSocket = io(this.server.url, {
      transports: ['websocket'],
      auth: { token: this.token },
      forceNew: true,
      reconnectionDelay: 20,
      reconnectionDelayMax: 100,
      // A handshake cut off halfway is given up after this and tried again (default 20 s).
      timeout: 3000,
    });
    this.socket = socket;
    socket.on('message:new', (message) => this.apply(message));
    socket.on('connect', () => {
      // After every (re)connect, recovered or not, ask for what came after the last contiguous
      // message: a recovery should have replayed it all, and one small request per channel checks
      // that instead of trusting it (a missing tail is otherwise invisible until a later message).
      this.connections++;
      void this.catchUp();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await this.catchingUp;
  }

  /** Joins a channel and takes its stored history as the start of the view. */
  async join(channel: string): Promise<void> {
    const response = await this.socket.emitWithAck('channel:join', { channel });
    if (!response.ok) throw new Error(response.error.message);
    const id = response.data.channel.id;
    if (!this.views.has(id)) this.views.set(id, new Map());
    this.replaceHistory(id, response.data.messages);
  }

  /** Drops the transport as a network failure would; Socket.IO reconnects and tries to recover. */
  dropTransport(): void {
    if (this.socket.connected) this.socket.io.engine.close();
  }

  /** Sends until acknowledged, reusing one clientId, as the app's outbox does. */
  async send(channel: string, text: string): Promise<Message> {
    const clientId = randomUUID();
    for (;;) {
      await this.whenConnected();
      try {
        const response = await this.socket
          .timeout(400)
          .emitWithAck('message:send', { channel, text, clientId });
        if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
        this.acked.set(clientId, response.data);
        this.apply(response.data);
        return response.data;
      } catch (error) {
        if (error instanceof Error && /^[A-Z_]+:/.test(error.message)) throw error;
        // Timed out or disconnected: try again with the same clientId.
      }
    }
  }

  /** Resolves once the current socket (which `connect` may replace meanwhile) is connected. */
  async whenConnected(): Promise<void> {
    while (!this.socket.connected) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Resolves once connected with no catch-up running or wanted. */
  async settled(): Promise<void> {
    await this.whenConnected();
    while (this.catchingUp) await this.catchingUp;
  }

  /** Oldest first, as a person would see the channel. */
  view(channel: string): Message[] {
    return [...(this.views.get(channel)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  private apply(message: Message): void {
    const view = this.views.get(message.channel);
    if (!view) return;
    const contiguous = this.lastContiguousSeq(message.channel);
    view.set(message.seq, message);
    // A jump in seq means something was missed: ask for it.
    if (contiguous !== undefined && message.seq > contiguous + 1) void this.catchUp();
  }

  /**
   * Asks for what was missed. A request made while one runs (a reconnect in the middle of catching
   * up) runs again afterwards, and a failed one is retried once connected, so no hole is left.
   */
  private catchUp(): Promise<void> {
    this.catchUpWanted = true;
    this.catchingUp ??= this.runCatchUps().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  private async runCatchUps(): Promise<void> {
    while (this.catchUpWanted) {
      this.catchUpWanted = false;
      await this.whenConnected();
      if (!(await this.fetchMissed())) this.catchUpWanted = true;
    }
  }

  /** The newest seq up to which the view has no hole: asking for what came after it fills every gap. */
  private lastContiguousSeq(channel: string): number | undefined {
    const view = this.views.get(channel);
    const floor = this.floors.get(channel);
    if (!view || floor === undefined) return undefined;
    let seq = floor;
    while (view.has(seq + 1)) seq++;
    return seq;
  }

  private replaceHistory(channel: string, messages: Message[]): void {
    const view = this.views.get(channel)!;
    // Messages that arrived live meanwhile stay: they are newer than the history or in it.
    for (const seq of view.keys()) if (messages.length > 0 && seq < messages[0].seq) view.delete(seq);
    for (const message of messages) view.set(message.seq, message);
    this.floors.set(channel, messages.length > 0 ? messages[0].seq - 1 : 0);
  }

  /** Returns false when a request failed (the connection dropped meanwhile). */
  private async fetchMissed(): Promise<boolean> {
    this.catchUps++;
    for (const [channel, view] of this.views) {
      const afterSeq = this.lastContiguousSeq(channel);
      const response = await this.socket
        .timeout(2000)
        .emitWithAck('channel:history', { channel, afterSeq })
        .catch(() => undefined);
      // No answer: the connection dropped; try again once connected.
      if (!response) return false;
      // An error answer (e.g. not a member yet) is final for this channel.
      if (!response.ok) continue;
      if (response.data.truncated || afterSeq === undefined)
        this.replaceHistory(channel, response.data.messages);
      else for (const message of response.data.messages) view.set(message.seq, message);
    }
    return true;
  }
}
