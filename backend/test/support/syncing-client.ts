import {
  isAfterGap,
  lastContiguousSeq,
  stillToArrive,
  withCatchUp,
  withHistory,
  withMessages,
  type ChannelView,
  type Message,
  type SentMessage,
} from '@flack/contract';
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

/** This client keeps messages as the server sent them (the app adds a delivery status). */
const asIs = (message: Message): Message => message;

/** What the ack of a send tells, with the channel it was sent to. */
export type AckedMessage = SentMessage & { channel: string };

/** A stored message as its ack named it, to compare what was stored with what was acknowledged. */
export const asAcked = ({ channel, id, seq, createdAt }: Message): AckedMessage => ({
  channel,
  id,
  seq,
  createdAt,
});

/**
 * How long an acknowledged message may be missing from the view before the history is asked for it:
 * the app's GAP_WAIT_MS (frontend/src/app/chat/messages-store.ts). Through Redis the sender's own
 * broadcast comes after the ack (the adapter writes it to the stream first).
 */
const MISSING_WAIT_MS = 300;

/**
 * A client that follows Flack's delivery rules with the app's own functions (contract/src/sync.ts,
 * which the Angular MessagesStore runs too): it keeps each channel's messages by `seq` (so a message
 * seen twice is shown once), fills gaps by asking for what came after the last contiguous message,
 * and resends unacknowledged messages with the same `clientId` until the server answers. Only the
 * socket plumbing is its own: one catch-up loop for all its channels, and the resend loop.
 */
export class SyncingClient {
  /** Channel id → what this client shows of it. */
  readonly views = new Map<string, ChannelView>();
  /** clientId → what the server's ack said of the message. */
  readonly acked = new Map<string, AckedMessage>();
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
    // Tracked from the channel's start (nothing below seq 0 expected): the catch-up on connect asks
    // for everything after seq 0 and gets the stored history, as a whole if the start was evicted.
    for (const channel of channels) this.views.set(channel, { messages: [], floor: 0 });
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
    socket.on('message:updated', (message) =>
      this.update(message.channel, (view) => withMessages(view, [message], asIs)),
    );
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
    this.views.set(id, withHistory(this.views.get(id), response.data.messages, asIs));
  }

  /** Drops the transport as a network failure would; Socket.IO reconnects and tries to recover. */
  dropTransport(): void {
    if (this.socket.connected) this.socket.io.engine.close();
  }

  /**
   * Sends until acknowledged, reusing one clientId, as the app's outbox does. The message itself
   * arrives as `message:new` (before or after the ack), or else the history brings it.
   */
  async send(channel: string, text: string): Promise<AckedMessage> {
    const clientId = randomUUID();
    for (;;) {
      await this.whenConnected();
      try {
        const response = await this.socket
          .timeout(400)
          .emitWithAck('message:send', { channel, text, clientId });
        if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
        const acked = { channel, ...response.data };
        this.acked.set(clientId, acked);
        this.awaitAcked(acked);
        return acked;
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
    return [...(this.views.get(channel)?.messages ?? [])];
  }

  /** Asks the history for an acknowledged message that has not arrived within MISSING_WAIT_MS. */
  private awaitAcked(acked: AckedMessage): void {
    const missing = () => {
      const view = this.views.get(acked.channel);
      return view !== undefined && stillToArrive(view, acked);
    };
    if (!missing()) return;
    setTimeout(() => {
      if (missing() && this.socket.connected) void this.catchUp();
    }, MISSING_WAIT_MS);
  }

  private apply(message: Message): void {
    const view = this.update(message.channel, (current) => withMessages(current, [message], asIs));
    // A jump in seq means something was missed: ask for it.
    if (view && isAfterGap(view, message)) void this.catchUp();
  }

  /** Changes a tracked channel's view (untracked ones stay so); returns the view as it now is. */
  private update(
    channel: string,
    change: (view: ChannelView | undefined) => ChannelView | undefined,
  ): ChannelView | undefined {
    const view = change(this.views.get(channel));
    if (view) this.views.set(channel, view);
    return view;
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

  /** Returns false when a request failed (the connection dropped meanwhile). */
  private async fetchMissed(): Promise<boolean> {
    this.catchUps++;
    for (const [channel, view] of this.views) {
      const afterSeq = lastContiguousSeq(view);
      const response = await this.socket
        .timeout(2000)
        .emitWithAck('channel:history', { channel, afterSeq })
        .catch(() => undefined);
      // No answer: the connection dropped; try again once connected.
      if (!response) return false;
      // An error answer (e.g. not a member yet) is final for this channel.
      if (!response.ok) continue;
      this.update(channel, (current) => withCatchUp(current, response.data, asIs));
    }
    return true;
  }
}
