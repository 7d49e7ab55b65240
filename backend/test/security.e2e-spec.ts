import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, type AckResponse, type ErrorCode } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import type { Server } from 'socket.io';
import { SessionGateway } from '../src/sessions/session.gateway.js';
import {
  connected,
  refused,
  sendMessage,
  settle,
  TestServer,
  TestUser,
  uniqueName,
  type ClientSocket,
} from './support/test-app.js';
import { toFullWidth } from './support/text.js';

/**
 * Every event a socket receives, whatever its name, but presence: that reaches everyone whenever
 * anyone connects (this suite's own people do, a little later), whatever else happens.
 */
function recordAll(socket: ClientSocket): unknown[][] {
  const seen: unknown[][] = [];
  socket.onAny((...args) => {
    if (args[0] !== 'presence:changed') seen.push(args);
  });
  return seen;
}

function emitRaw(socket: ClientSocket, event: string, args: unknown[]): Promise<AckResponse<unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 5000);
    (socket.emit as (event: string, ...rest: unknown[]) => void)(
      event,
      ...args,
      (answer: AckResponse<unknown>) => {
        clearTimeout(timer);
        resolve(answer);
      },
    );
  });
}

describe('hostile input against a real server', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  /** alice's channel; bob is a member, eve is not. */
  let channel: string;
  /** A channel eve joined and then left. */
  let leftChannel: string;
  let alicesClientId: string;

  beforeAll(async () => {
    server = await TestServer.start();
    alice = await server.user(uniqueName('alice'));
    bob = await server.user(uniqueName('bob'));
    eve = await server.user(uniqueName('eve'));
    channel = uniqueName('General');
    leftChannel = uniqueName('left');
    await alice.call('channel:create', { name: channel });
    await bob.call('channel:join', { channel });
    await alice.call('channel:create', { name: leftChannel });
    await eve.call('channel:join', { channel: leftChannel });
    await eve.call('channel:leave', { channel: leftChannel });
    alicesClientId = randomUUID();
    await alice.call('message:send', { channel, text: 'hello', clientId: alicesClientId });
    await settle(alice, bob);
  });

  afterAll(async () => {
    await server.stop();
  });

  const msg = (extra: Record<string, unknown> = {}) => ({
    channel,
    text: 'hi',
    clientId: randomUUID(),
    ...extra,
  });

  // [what, event, arguments (without the ack), expected error code]
  const cases: [string, string, () => unknown[], ErrorCode][] = [
    // wrong types
    ['send: a bare string', 'message:send', () => ['hi'], 'INVALID'],
    ['send: a number', 'message:send', () => [1], 'INVALID'],
    ['send: null', 'message:send', () => [null], 'INVALID'],
    ['send: an array of a valid payload', 'message:send', () => [[msg()]], 'INVALID'],
    ['send: text as a number', 'message:send', () => [msg({ text: 12 })], 'INVALID'],
    ['send: text as an array', 'message:send', () => [msg({ text: ['a'] })], 'INVALID'],
    ['send: text as a nested object', 'message:send', () => [msg({ text: { a: { b: 'c' } } })], 'INVALID'],
    ['send: channel as null', 'message:send', () => [msg({ channel: null })], 'INVALID'],
    ['send: channel as an operator object', 'message:send', () => [msg({ channel: { $gt: '' } })], 'INVALID'],
    ['send: clientId as a number', 'message:send', () => [msg({ clientId: 7 })], 'INVALID'],
    ['create: a bare string', 'channel:create', () => ['room'], 'INVALID'],
    ['create: name as a number', 'channel:create', () => [{ name: 5 }], 'INVALID'],
    ['create: name as an array', 'channel:create', () => [{ name: ['x'] }], 'INVALID'],
    ['join: channel as a boolean', 'channel:join', () => [{ channel: true }], 'INVALID'],
    ['leave: null', 'channel:leave', () => [null], 'INVALID'],
    ['history: afterSeq as a float', 'channel:history', () => [{ channel, afterSeq: 1.5 }], 'INVALID'],
    ['history: afterSeq as an object', 'channel:history', () => [{ channel, afterSeq: {} }], 'INVALID'],
    // missing and unknown fields
    ['send: nothing at all', 'message:send', () => [], 'INVALID'],
    ['send: no text', 'message:send', () => [{ channel, clientId: randomUUID() }], 'INVALID'],
    ['send: no channel', 'message:send', () => [{ text: 'hi', clientId: randomUUID() }], 'INVALID'],
    ['send: no clientId', 'message:send', () => [{ channel, text: 'hi' }], 'INVALID'],
    ['send: an author field', 'message:send', () => [msg({ author: { id: 'x', name: 'alice' } })], 'INVALID'],
    ['send: a userId field', 'message:send', () => [msg({ userId: 'x' })], 'INVALID'],
    [
      'create: an extra createdBy',
      'channel:create',
      () => [{ name: uniqueName('c'), createdBy: 'x' }],
      'INVALID',
    ],
    [
      'join: a __proto__ field',
      'channel:join',
      () => [JSON.parse(`{"channel":"${channel}","__proto__":{"x":1}}`)],
      'INVALID',
    ],
    // boundaries
    ['send: empty text', 'message:send', () => [msg({ text: '' })], 'INVALID'],
    ['send: whitespace only', 'message:send', () => [msg({ text: '\u00a0 \n ' })], 'INVALID'],
    [
      'send: text one over the limit',
      'message:send',
      () => [msg({ text: 'a'.repeat(LIMITS.messageMaxLength + 1) })],
      'INVALID',
    ],
    ['create: empty name', 'channel:create', () => [{ name: '' }], 'INVALID'],
    [
      'create: name one over the limit',
      'channel:create',
      () => [{ name: 'b'.repeat(LIMITS.channelNameMaxLength + 1) }],
      'INVALID',
    ],
    ['join: empty name', 'channel:join', () => [{ channel: '' }], 'INVALID'],
    // Unicode tricks
    [
      'create: same name, other case',
      'channel:create',
      () => [{ name: channel.toUpperCase() }],
      'CHANNEL_EXISTS',
    ],
    [
      'create: same name, full width',
      'channel:create',
      () => [{ name: toFullWidth(channel) }],
      'CHANNEL_EXISTS',
    ],
    [
      'create: same name, Cyrillic look-alikes',
      'channel:create',
      () => [{ name: channel.replace(/e/g, '\u0435') }],
      'CHANNEL_EXISTS',
    ],
    [
      'create: same name, trailing zero-width space',
      'channel:create',
      () => [{ name: `${channel}\u200B` }],
      'INVALID',
    ],
    ['create: bidi override', 'channel:create', () => [{ name: 'txt.\u202Eexe' }], 'INVALID'],
    ['create: bidi isolate', 'channel:create', () => [{ name: 'a\u2067b' }], 'INVALID'],
    ['create: only combining marks', 'channel:create', () => [{ name: '\u0300\u0301\u0302' }], 'INVALID'],
    [
      'create: stacked combining marks',
      'channel:create',
      () => [{ name: 'z\u0300\u0301\u0302\u0303\u0304' }],
      'INVALID',
    ],
    ['create: a control character', 'channel:create', () => [{ name: 'bell\u0007' }], 'INVALID'],
    ['create: only invisible characters', 'channel:create', () => [{ name: '\u2060\u2061' }], 'INVALID'],
    // authorisation
    ['send to a channel not joined', 'message:send', () => [msg()], 'NOT_A_MEMBER'],
    ['send after leaving', 'message:send', () => [msg({ channel: leftChannel })], 'NOT_A_MEMBER'],
    ['read history not joined', 'channel:history', () => [{ channel }], 'NOT_A_MEMBER'],
    [
      'read history after leaving',
      'channel:history',
      () => [{ channel: leftChannel, afterSeq: 0 }],
      'NOT_A_MEMBER',
    ],
    ['leave a channel never joined', 'channel:leave', () => [{ channel }], 'NOT_A_MEMBER'],
    [
      'send to a channel that does not exist',
      'message:send',
      () => [msg({ channel: 'nowhere' })],
      'NOT_FOUND',
    ],
    [
      'replay alice’s clientId into her channel',
      'message:send',
      () => [msg({ clientId: alicesClientId })],
      'NOT_A_MEMBER',
    ],
  ];

  it('covers at least forty hostile inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s → %s', async (_what, event, args, code) => {
    const seenByAlice = recordAll(alice.socket);
    const seenByBob = recordAll(bob.socket);
    const before = await snapshot();

    const answer = await emitRaw(eve.socket, event, args());

    expect(answer).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts:\d+|stack/i);
    expect(eve.socket.connected).toBe(true);
    expect(await snapshot()).toEqual(before);
    await settle(alice, bob);
    expect(seenByAlice).toEqual([]);
    expect(seenByBob).toEqual([]);
  });

  it('refuses a clientId seen in someone else’s message, storing nothing and answering nothing of theirs', async () => {
    await eve.call('channel:join', { channel });
    const before = (await eve.call('channel:history', { channel })).messages;
    const answer = await eve.fail('message:send', { channel, text: 'mine', clientId: alicesClientId });
    expect(answer).toMatchObject({ code: 'INVALID' });
    expect(JSON.stringify(answer)).not.toContain(alicesClientId);
    expect((await eve.call('channel:history', { channel })).messages).toEqual(before);
    await eve.call('channel:leave', { channel });
  });

  it('closes only the socket that sends a frame above the limit', async () => {
    const mallory = await server.user(uniqueName('mallory'));
    await mallory.call('channel:join', { channel });
    const closed = new Promise<string>((resolve) => mallory.socket.once('disconnect', resolve));
    mallory.socket.emit('message:send', msg({ text: 'x'.repeat(LIMITS.maxFrameBytes) }), () => undefined);
    expect(await closed).toMatch(/transport (close|error)/);
    const history = await alice.call('channel:history', { channel });
    expect(history.messages.some((message) => message.author.id === mallory.id)).toBe(false);
    expect(alice.socket.connected && bob.socket.connected).toBe(true);
  });

  it('accepts a message of exactly the maximum length', async () => {
    const text = 'é'.repeat(LIMITS.messageMaxLength);
    expect((await sendMessage(alice, msg({ text }))).text).toBe(text);
  });

  it('accepts channel and display names of exactly the maximum length', async () => {
    const suffix = uniqueName('');
    const name = 'n'.repeat(LIMITS.channelNameMaxLength - suffix.length) + suffix;
    expect((await alice.call('channel:create', { name })).channel.name).toBe(name);
    const display = 'd'.repeat(LIMITS.displayNameMaxLength - suffix.length) + suffix;
    expect((await server.claim(display)).user.name).toBe(display);
  });

  it.each([
    ['a forged token', () => randomUUID()],
    ['an empty token', () => ''],
    ['a token of another type', () => 12345 as unknown as string],
    ['a token with a valid shape from no session', () => Buffer.alloc(32, 7).toString('base64url')],
  ])('refuses the handshake with %s and processes nothing', async (_what, token) => {
    const socket = server.socket(token());
    const events: string[] = [];
    socket.onAny((event: string) => events.push(event));
    const error = await refused(socket);
    expect(['SESSION_UNKNOWN', 'TOKEN_MISSING']).toContain(error.data?.code);
    expect(socket.connected).toBe(false);
    expect(events).toEqual([]);
  });

  it('refuses a cross-origin handshake even with a valid token', async () => {
    const error = await refused(server.socket(alice.session.token, { origin: 'https://attacker.example' }));
    // Refused at the Engine.IO handshake (allowRequest), so the upgrade itself fails.
    expect(error.message).toBe('websocket error');
  });

  async function snapshot() {
    const [channels, history, session] = await Promise.all([
      server.get('/api/channels'),
      alice.call('channel:history', { channel }),
      eve.call('session:get'),
    ]);
    return { channels: channels.body, history, joined: session.joined, lastChannel: session.lastChannel };
  }
});

describe('flood control with the default limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({
      MESSAGE_RATE_PER_SECOND: '5',
      MESSAGE_BURST: '20',
      CHANNEL_CREATES_PER_MINUTE: '10',
      NAME_CLAIMS_PER_MINUTE: '20',
      MAX_CHANNELS_PER_USER: '20',
      MAX_CHANNELS: '1000',
    });
  });

  afterAll(async () => {
    await server.stop();
  });

  it('lets a burst of 20 through, then answers RATE_LIMITED with retryAfterMs while others are unaffected', async () => {
    const flooder = await server.user(uniqueName('flood'));
    const typist = await server.user(uniqueName('typist'));
    const name = uniqueName('flooded');
    await flooder.call('channel:create', { name });
    await typist.call('channel:join', { channel: name });

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        emitRaw(flooder.socket, 'message:send', [
          { channel: name, text: `spam ${i}`, clientId: randomUUID() },
        ]),
      ),
    );
    const accepted = answers.filter((answer) => answer.ok);
    const limited = answers.filter((answer) => !answer.ok);
    expect(accepted.length).toBeGreaterThanOrEqual(20);
    expect(limited.length).toBeGreaterThan(0);
    for (const answer of limited) {
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
      });
    }
    const stored = await typist.call('channel:history', { channel: name });
    expect(stored.messages).toHaveLength(accepted.length);

    const fromTypist = await sendMessage(typist, {
      channel: name,
      text: 'I am fine',
      clientId: randomUUID(),
    });
    expect(fromTypist.text).toBe('I am fine');
  });

  it('limits channel creation per user and caps how many one user may own', async () => {
    const creator = await server.user(uniqueName('creator'));
    const results = [];
    for (let i = 0; i < 12; i++) {
      results.push(await emitRaw(creator.socket, 'channel:create', [{ name: uniqueName('room') }]));
    }
    expect(results.slice(0, 10).every((answer) => answer.ok)).toBe(true);
    expect(results.slice(10)).toEqual([
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    ]);
  });

  it('limits name claims per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++)
      statuses.push((await server.post('/api/sessions', { name: uniqueName('n') })).status);
    // Earlier tests in this suite claimed names from the same address too.
    expect(statuses).toContain(429);
    const limited = await server.post('/api/sessions', { name: uniqueName('n') });
    expect(limited).toMatchObject({
      status: 429,
      body: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) },
    });
  });
});

describe('caps', () => {
  it('refuses channels beyond the server cap and beyond the per-user cap', async () => {
    const server = await TestServer.start({ MAX_CHANNELS: '3', MAX_CHANNELS_PER_USER: '2' });
    try {
      const alice = await server.user(uniqueName('alice'));
      const bob = await server.user(uniqueName('bob'));
      await alice.call('channel:create', { name: 'a1' });
      await alice.call('channel:create', { name: 'a2' });
      expect(await alice.fail('channel:create', { name: 'a3' })).toMatchObject({ code: 'FORBIDDEN' });
      await bob.call('channel:create', { name: 'b1' });
      const full = await bob.fail('channel:create', { name: 'b2' });
      expect(full).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('limit') });
      expect(((await server.get('/api/channels')).body as unknown[]).length).toBe(3);
    } finally {
      await server.stop();
    }
  });
});

describe('memory under churn', () => {
  it('leaves no rooms, sockets or reservations behind after many connects, joins and leaves', async () => {
    const server = await TestServer.start();
    try {
      const io = (server.app.get(SessionGateway) as unknown as { server: Server }).server;
      const owner = await server.user(uniqueName('owner'));
      const name = uniqueName('churn');
      await owner.call('channel:create', { name });
      const baselineRooms = io.of('/').adapter.rooms.size;

      for (let round = 0; round < 20; round++) {
        const visitors = await Promise.all(
          Array.from({ length: 10 }, async () => {
            const session = await server.claim(uniqueName('v'));
            const visitor = new TestUser(session, await connected(server.socket(session.token)));
            await visitor.call('channel:join', { channel: name });
            await visitor.call('channel:leave', { channel: name });
            await visitor.call('channel:join', { channel: name });
            return visitor;
          }),
        );
        await Promise.all(visitors.map((visitor) => visitor.call('session:forget')));
      }
      await settle(owner);

      expect(io.of('/').sockets.size).toBe(1);
      expect(io.of('/').adapter.rooms.size).toBe(baselineRooms);
      const listed = (await server.get('/api/channels')).body as { name: string; members: number }[];
      expect(listed.find((entry) => entry.name === name)?.members).toBe(1);
      expect(io.engine.clientsCount).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
