import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { io } from 'socket.io-client';
import { send, settle, TestServer, TestUser, uniqueName, type ClientSocket } from './support/test-app.js';

/** What a socket.io-client keeps to ask for its session back (private fields of its Socket). */
const recoveryOf = (socket: ClientSocket) => socket as unknown as { _pid?: string; _lastOffset?: string };

/**
 * Connection-state recovery hands a dropped connection what it missed. Only the session's own
 * user gets it: a CONNECT carrying someone else's `pid` and `offset` must receive nothing of theirs,
 * before or after the handshake is judged.
 */
describe('connection-state recovery', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(() => server.stop());

  /** Alice drops off a channel Bob keeps writing in: her pid and offset, and what she missed. */
  async function aliceAway() {
    const bob = await server.user(uniqueName('bob'));
    const channel = (await bob.call('channel:create', { name: uniqueName('secret') })).channel.id;
    const session = await server.claim(uniqueName('alice'));
    const socket: ClientSocket = io(server.url, {
      transports: ['websocket'],
      auth: { token: session.token },
      forceNew: true,
      reconnection: false,
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const alice = new TestUser(session, socket);
    await alice.call('channel:join', { channel });
    const first = new Promise((resolve) => socket.once('message:new', resolve));
    await send(bob, channel, 'before the drop');
    await first;
    const { _pid: pid, _lastOffset: offset } = recoveryOf(socket);
    expect(pid && offset).toBeTruthy();
    const dropped = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.io.engine.close();
    await dropped;
    const missed: Message[] = [];
    for (let i = 0; i < 3; i++) missed.push(await send(bob, channel, `missed ${i}`));
    return { alice, bob, channel, socket, pid: pid!, offset: offset!, missed };
  }

  /** Connects with the given auth and records every event that arrives, until connected or refused. */
  async function attempt(auth: Record<string, unknown>) {
    const heard: string[] = [];
    const socket: ClientSocket = io(server.url, {
      transports: ['websocket'],
      auth,
      forceNew: true,
      reconnection: false,
    });
    // Every EVENT frame that reaches the connection, also those socket.io-client would not surface
    // (it holds back events that come before the CONNECT answer, and drops them on connect_error).
    socket.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
      if (packet.type === 2) heard.push(String(packet.data?.[0]));
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) =>
        resolve(error.data?.code ?? 'refused'),
      );
    });
    // Anything sent right behind the answer would have arrived by now.
    if (socket.connected) await socket.emitWithAck('channel:list');
    else await new Promise((resolve) => setTimeout(resolve, 100));
    socket.disconnect();
    return { outcome, heard, recovered: socket.recovered };
  }

  it('replays nothing to a CONNECT with the victim’s pid and no token, a dead token, or another user’s token', async () => {
    const { pid, offset } = await aliceAway();
    const mallory = await server.claim(uniqueName('mallory'));
    expect(await attempt({ pid, offset })).toEqual({ outcome: 'TOKEN_MISSING', heard: [], recovered: false });
    expect(await attempt({ pid, offset, token: 'forged' })).toEqual({
      outcome: 'SESSION_UNKNOWN',
      heard: [],
      recovered: false,
    });
    expect(await attempt({ pid, offset, token: mallory.token })).toEqual({
      outcome: 'connected',
      heard: [],
      recovered: false,
    });
  });

  it('gives the session’s own user what they missed, in order, once', async () => {
    const { alice, socket, missed, bob, channel } = await aliceAway();
    const heard: Message[] = [];
    socket.on('message:new', (message) => heard.push(message));
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.connect();
    });
    await settle(alice);
    expect(socket.recovered).toBe(true);
    expect(heard).toEqual(missed);
    // And it is in the channel again: live messages keep coming.
    const next = new Promise<Message>((resolve) => socket.once('message:new', resolve));
    const live = await send(bob, channel, 'after the return');
    expect(await next).toEqual(live);
    socket.disconnect();
  });

  it('replays each missed message as it was sent, with its one offset, not stored again', async () => {
    const { alice, socket, missed } = await aliceAway();
    const frames: unknown[][] = [];
    socket.io.on('packet', (packet: { type: number; data?: unknown[] }) => {
      if (packet.type === 2 && packet.data?.[0] === 'message:new') frames.push(packet.data);
    });
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.connect();
    });
    await settle(alice);
    expect(frames.map(([, message]) => message)).toEqual(missed);
    // [event, message, offset]: a second broadcast of the replay would append a second offset.
    expect(frames.map((frame) => frame.length)).toEqual([3, 3, 3]);
    const offsets = frames.map((frame) => frame[2]);
    expect(new Set(offsets).size).toBe(3);
    expect(recoveryOf(socket)._lastOffset).toBe(offsets[2]);
    socket.disconnect();
  });

  it('leaks nothing to another user’s token, and the victim, back, loses nothing', async () => {
    const { pid, offset, alice, socket, missed } = await aliceAway();
    const mallory = await server.claim(uniqueName('mallory'));
    const tried = await attempt({ pid, offset, token: mallory.token });
    expect(tried.heard).toEqual([]);
    // Alice comes back: whether or not her session could still be recovered, she loses nothing,
    // because the app catches up from history after every reconnect.
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.connect();
    });
    const { messages } = await alice.call('channel:history', {
      channel: missed[0].channel,
      afterSeq: missed[0].seq - 1,
    });
    expect(messages.map((message) => message.id)).toEqual(missed.map((message) => message.id));
    socket.disconnect();
  });
});
