// Channels: names, joining and leaving, members, every tab of a user, and the REST listing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Channel } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import {
  collect,
  connected,
  next,
  send,
  settle,
  TestServer,
  twoInAChannel,
  uniqueName,
} from './support/test-app.js';
import { toFullWidth } from './support/text.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('channels', () => {
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

describe('members', () => {
  it('lists a channel’s members to members only', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const eve = await server.user(uniqueName('eve'));

    const members = await alice.call('channel:members', { channel });

    expect(members.map((member) => member.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(await eve.fail('channel:members', { channel })).toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('tells the members when someone joins or leaves', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const carol = await server.user(uniqueName('carol'));
    const seen = collect(alice.socket, 'channel:membership');

    await carol.call('channel:join', { channel });
    await bob.call('channel:leave', { channel });
    await settle(alice);

    expect(seen).toEqual([
      { channel, user: carol.session.user, joined: true },
      { channel, user: bob.session.user, joined: false },
    ]);
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

describe('the REST listing', () => {
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
});

describe('a channel nobody is in', () => {
  it('is removed when its last member leaves: gone from every list, its name free, its numbering kept', async () => {
    const alice = await server.user(uniqueName('alice'));
    const watcher = await server.user(uniqueName('watcher'));
    const name = uniqueName('brief');
    const { channel } = await alice.call('channel:create', { name });
    const old = await send(alice, channel.id, 'before');
    const removed = next(watcher.socket, 'channel:removed');
    await alice.call('channel:leave', { channel: channel.id });
    expect(await removed).toEqual({ channel: channel.id });
    expect((await watcher.call('channel:list')).map((listed) => listed.id)).not.toContain(channel.id);
    expect(await watcher.fail('channel:join', { channel: channel.id })).toMatchObject({ code: 'NOT_FOUND' });

    // Created again: nothing of the old one, and a seq no old read position or view can take for old.
    const again = await watcher.call('channel:create', { name });
    expect(again.messages).toEqual([]);
    expect((await send(watcher, channel.id, 'after')).seq).toBeGreaterThan(old.seq);
  });

  it('is removed when its last member’s name is released, so forgotten names do not hold channels', async () => {
    const mallory = await server.user(uniqueName('mallory'));
    const names = [uniqueName('squat'), uniqueName('squat')];
    for (const name of names) await mallory.call('channel:create', { name });
    const kept = uniqueName('kept');
    await mallory.call('channel:create', { name: kept });
    const bob = await server.user(uniqueName('bob'));
    await bob.call('channel:join', { channel: kept });

    await mallory.call('session:forget');
    await settle(bob);
    const listed = (await bob.call('channel:list')).map((channel) => channel.name);
    expect(listed).toContain(kept);
    for (const name of names) expect(listed).not.toContain(name);
  });
});
