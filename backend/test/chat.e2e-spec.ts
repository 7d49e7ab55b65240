import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, type Channel, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import {
  collect,
  connected,
  next,
  settle,
  TestServer,
  uniqueName,
  type TestUser,
} from './support/test-app.js';
import { toFullWidth } from './support/text.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

const send = (user: TestUser, channel: string, text: string, clientId = randomUUID()) =>
  user.call('message:send', { channel, text, clientId });

describe('channels and messages between two people', () => {
  it('delivers a message live to every member, with the author and a server timestamp', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('Lobby');

    const announced = next(bob.socket, 'channel:created');
    const created = await alice.call('channel:create', { name });
    expect(created.channel).toMatchObject({ name, id: name.toLowerCase(), members: 1, messages: 0 });
    expect(await announced).toMatchObject({ name });

    const joined = await bob.call('channel:join', { channel: name });
    expect(joined.channel.members).toBe(2);

    const bobReceives = next(bob.socket, 'message:new');
    const before = Date.now();
    const sent = await send(alice, name, 'hello bob');
    const received = await bobReceives;
    expect(received).toEqual(sent);
    expect(sent.author).toEqual(alice.session.user);
    expect(sent.text).toBe('hello bob');
    expect(sent.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(sent.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const aliceReceives = next(alice.socket, 'message:new');
    const reply = await send(bob, name.toUpperCase(), 'hi alice');
    expect(await aliceReceives).toEqual(reply);
    expect(reply.author.name).toBe(bob.session.user.name);
  });

  it('never delivers a channel message to someone who has not joined it', async () => {
    const alice = await server.user(uniqueName('alice'));
    const eve = await server.user(uniqueName('eve'));
    const name = uniqueName('secret');
    await alice.call('channel:create', { name });
    const seenByEve = collect(eve.socket, 'message:new');

    await send(alice, name, 'members only');
    await settle(eve);
    expect(seenByEve).toEqual([]);
    expect(
      await eve.fail('message:send', { channel: name, text: 'let me in', clientId: randomUUID() }),
    ).toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(await eve.fail('channel:history', { channel: name })).toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('keeps exactly the 100 most recent messages of 105, in order', async () => {
    const alice = await server.user(uniqueName('alice'));
    const name = uniqueName('busy');
    await alice.call('channel:create', { name });
    for (let i = 1; i <= 105; i++) await send(alice, name, `message ${i}`);

    const bob = await server.user(uniqueName('bob'));
    const { messages } = await bob.call('channel:join', { channel: name });
    expect(messages).toHaveLength(LIMITS.historySize);
    expect(messages[0].text).toBe('message 6');
    expect(messages.at(-1)?.text).toBe('message 105');
    expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 6));
  });

  it('refuses a second channel with the same name, whatever its case or width', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('General');
    await alice.call('channel:create', { name });
    await send(alice, name, 'first!');

    for (const variant of [name, name.toLowerCase(), name.toUpperCase(), ` ${name} `, toFullWidth(name)]) {
      const error = await bob.fail('channel:create', { name: variant });
      expect(error.code).toBe('CHANNEL_EXISTS');
      expect(error.message).toContain(name);
    }
    const { messages, channel } = await bob.call('channel:join', { channel: name });
    expect(messages.map((message) => message.text)).toEqual(['first!']);
    expect(channel.name).toBe(name);
  });

  it('stops delivering to a member who left, and refuses their messages', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('leavers');
    await alice.call('channel:create', { name });
    await bob.call('channel:join', { channel: name });

    const left = next(bob.socket, 'channel:left');
    await bob.call('channel:leave', { channel: name });
    expect(await left).toEqual({ channel: name.toLowerCase() });
    const seenByBob = collect(bob.socket, 'message:new');
    await send(alice, name, 'are you there?');
    await settle(bob);
    expect(seenByBob).toEqual([]);
    expect((await bob.fail('message:send', { channel: name, text: 'x', clientId: randomUUID() })).code).toBe(
      'NOT_A_MEMBER',
    );
    expect((await bob.fail('channel:leave', { channel: name })).code).toBe('NOT_A_MEMBER');
    expect((await bob.call('session:get')).joined).not.toContain(name.toLowerCase());
  });

  it('answers NOT_FOUND for a channel that does not exist, and keeps serving', async () => {
    const alice = await server.user(uniqueName('alice'));
    for (const [event, payload] of [
      ['channel:join', { channel: 'no-such-channel' }],
      ['channel:leave', { channel: 'no-such-channel' }],
      ['channel:history', { channel: 'no-such-channel' }],
      ['message:send', { channel: 'no-such-channel', text: 'hi', clientId: randomUUID() }],
    ] as const) {
      const error = await alice.fail(event as 'channel:join', payload as { channel: string });
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
      expect(error.message.length).toBeGreaterThan(0);
    }
    expect(alice.socket.connected).toBe(true);
  });
});

describe('retries', () => {
  it('stores a retried clientId once and acknowledges the retry with the stored message', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('retry');
    await alice.call('channel:create', { name });
    await bob.call('channel:join', { channel: name });
    const seenByBob = collect(bob.socket, 'message:new');

    const clientId = randomUUID();
    const [first, second] = await Promise.all([
      send(alice, name, 'once', clientId),
      send(alice, name, 'once', clientId),
    ]);
    const third = await send(alice, name, 'once', clientId);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    await settle(bob);
    expect(seenByBob).toEqual([first]);
    expect((await bob.call('channel:history', { channel: name })).messages).toEqual([first]);
  });

  it('does not confuse two authors who happen to use the same clientId', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('ids');
    await alice.call('channel:create', { name });
    await bob.call('channel:join', { channel: name });
    const clientId = randomUUID();
    const fromAlice = await send(alice, name, 'from alice', clientId);
    const fromBob = await send(bob, name, 'from bob', clientId);
    expect(fromBob.id).not.toBe(fromAlice.id);
    expect(fromBob.author.id).toBe(bob.id);
  });
});

describe('history after a sequence number', () => {
  it('returns only what came after, or everything kept with truncated=true when the gap was evicted', async () => {
    const alice = await server.user(uniqueName('alice'));
    const name = uniqueName('gaps');
    await alice.call('channel:create', { name });
    const sent: Message[] = [];
    for (let i = 1; i <= 5; i++) sent.push(await send(alice, name, `m${i}`));

    const after3 = await alice.call('channel:history', { channel: name, afterSeq: 3 });
    expect(after3).toEqual({ messages: sent.slice(3), truncated: false });
    expect(await alice.call('channel:history', { channel: name, afterSeq: 5 })).toEqual({
      messages: [],
      truncated: false,
    });

    for (let i = 6; i <= 110; i++) await send(alice, name, `m${i}`);
    const afterEvicted = await alice.call('channel:history', { channel: name, afterSeq: 2 });
    expect(afterEvicted.truncated).toBe(true);
    expect(afterEvicted.messages).toHaveLength(100);
    expect(afterEvicted.messages[0].text).toBe('m11');
  });
});

describe('REST', () => {
  it('GET /api/channels lists every channel sorted by name with members, stored messages and times', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const zulu = `zz-${uniqueName('zulu')}`;
    const alpha = `AA-${uniqueName('alpha')}`;
    await alice.call('channel:create', { name: zulu });
    await alice.call('channel:create', { name: alpha });
    await bob.call('channel:join', { channel: zulu });
    const last = await send(bob, zulu, 'hello');

    const { status, body } = await server.get('/api/channels');
    expect(status).toBe(200);
    const channels = body as Channel[];
    const ids = channels.map((channel) => channel.id);
    expect(ids).toEqual([...ids].sort((a, b) => a.localeCompare(b)));
    expect(channels.find((channel) => channel.name === zulu)).toEqual({
      id: zulu.toLowerCase(),
      name: zulu,
      members: 2,
      messages: 1,
      createdAt: expect.any(String),
      lastMessageAt: last.createdAt,
    });
    expect(channels.find((channel) => channel.name === alpha)).toMatchObject({
      members: 1,
      messages: 0,
      lastMessageAt: null,
    });
    expect(await alice.call('channel:list')).toEqual(channels);
  });

  it('GET /api/channels follows every change at once, with the same security headers as any route', async () => {
    const alice = await server.user(uniqueName('alice'));
    const name = uniqueName('listed');
    const listed = async () =>
      ((await server.get('/api/channels')).body as Channel[]).find((channel) => channel.name === name);

    expect(await listed()).toBeUndefined();
    await alice.call('channel:create', { name });
    expect(await listed()).toMatchObject({ members: 1, messages: 0 });
    const bob = await server.user(uniqueName('bob'));
    await bob.call('channel:join', { channel: name });
    expect(await listed()).toMatchObject({ members: 2 });
    const sent = await send(alice, name, 'counted');
    expect(await listed()).toMatchObject({ messages: 1, lastMessageAt: sent.createdAt });
    await bob.call('channel:leave', { channel: name });
    expect(await listed()).toMatchObject({ members: 1 });

    const [listing, health] = await Promise.all([
      fetch(`${server.url}/api/channels?fresh=1`),
      fetch(`${server.url}/api/health`),
    ]);
    expect(listing.headers.get('content-type')).toBe('application/json; charset=utf-8');
    for (const header of [
      'content-security-policy',
      'x-content-type-options',
      'strict-transport-security',
      'x-frame-options',
      'referrer-policy',
    ]) {
      expect(listing.headers.get(header)).toBe(health.headers.get(header));
      expect(listing.headers.get(header)).not.toBeNull();
    }
    expect(await listing.json()).toEqual((await server.get('/api/channels')).body);
    expect((await fetch(`${server.url}/api/channels`, { method: 'POST' })).status).toBe(404);
  });

  it('GET /api/health answers ok, and /api/docs serves the OpenAPI description', async () => {
    expect(await server.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const docs = await fetch(`${server.url}/api/docs-json`);
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/channels', '/api/sessions']));
  });

  it('sends security headers with a CSP that runs no inline script', async () => {
    const response = await fetch(`${server.url}/api/health`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown API paths with a JSON 404', async () => {
    expect(await server.get('/api/nothing-here')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });
});

describe('many tabs of one user', () => {
  it('puts every tab in the channels joined from any of them', async () => {
    const alice = await server.user(uniqueName('alice'));
    const secondTab = await connected(server.socket(alice.session.token));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('tabs');
    await bob.call('channel:create', { name });

    const joinedSeenInTab2 = next(secondTab, 'channel:joined');
    await alice.call('channel:join', { channel: name });
    expect((await joinedSeenInTab2).name).toBe(name);

    const inTab2 = next(secondTab, 'message:new');
    const message = await send(bob, name, 'to every tab');
    expect(await inTab2).toEqual(message);
  });
});
