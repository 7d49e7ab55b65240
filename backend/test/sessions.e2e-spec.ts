import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS } from '@flack/contract';
import { setTimeout as sleep } from 'node:timers/promises';
import { connected, next, refused, TestServer, TestUser, uniqueName } from './support/test-app.js';
import { toFullWidth } from './support/text.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start({ ALLOWED_ORIGINS: 'https://chat.example.org' });
});

afterAll(async () => {
  await server.stop();
});

describe('claiming a display name', () => {
  it('answers a 256-bit opaque token and the user, and holds the name against every look-alike', async () => {
    const name = uniqueName('Alice');
    const { token, user } = await server.claim(name);
    expect(user.name).toBe(name);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).not.toContain(user.id);

    for (const variant of [name, name.toLowerCase(), name.toUpperCase(), `  ${name}\t`, toFullWidth(name)]) {
      const { status, body } = await server.post('/api/sessions', { name: variant });
      expect(status).toBe(409);
      expect(body).toMatchObject({ code: 'NAME_TAKEN', message: expect.stringContaining('taken') });
    }
  });

  it('trims and NFKC-normalises the name it stores', async () => {
    const base = uniqueName('ｆｕｌｌ');
    const { user } = await server.claim(`  ${base}  `);
    expect(user.name).toBe(base.normalize('NFKC'));
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['a control character', 'bad\u0007name'],
    ['a bidi override', 'evil\u202Egnp.exe'],
    ['a zero-width space', 'ali\u200Bce'],
    ['a zero-width joiner only', '\u200D'],
    ['a zero-width joiner between letters', 'a\u200Db'],
    ['only combining marks', '\u0301\u0301'],
    ['too many marks on one letter', 'zx\u0301\u0302\u0303\u0304\u0306ro'],
    ['33 characters', 'x'.repeat(LIMITS.displayNameMaxLength + 1)],
    ['a number instead of text', 42],
    ['null', null],
  ])('refuses %s with INVALID and a message', async (_label, name) => {
    const { status, body } = await server.post('/api/sessions', { name });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'INVALID', message: expect.any(String), details: expect.any(Object) });
  });

  it('accepts exactly 32 characters, counting an emoji or an accented letter as one', async () => {
    const suffix = uniqueName('');
    const emoji = '👩‍👩‍👧‍👦'.repeat(LIMITS.displayNameMaxLength - suffix.length) + suffix;
    expect((await server.post('/api/sessions', { name: emoji })).status).toBe(201);
    const accents = 'e\u0301'.repeat(LIMITS.displayNameMaxLength - suffix.length) + suffix;
    expect((await server.post('/api/sessions', { name: accents })).status).toBe(201);
  });

  it('refuses unknown fields', async () => {
    const { status, body } = await server.post('/api/sessions', { name: uniqueName('bob'), admin: true });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'INVALID', details: { admin: expect.any(Array) } });
  });
});

describe('the handshake', () => {
  it('refuses a socket without a token', async () => {
    const error = await refused(server.socket(undefined));
    expect(error.data?.code).toBe('TOKEN_MISSING');
  });

  it('refuses a forged token', async () => {
    const error = await refused(server.socket('A'.repeat(43)));
    expect(error.data?.code).toBe('SESSION_UNKNOWN');
    expect(error.message).toMatch(/session/i);
  });

  it('refuses a page from another origin, and accepts the own origin, a listed one, and none', async () => {
    const { token } = await server.claim(uniqueName('carol'));
    // Refused at the transport, before any session: the WebSocket upgrade is never answered.
    for (const origin of ['https://evil.example.com', 'null']) {
      const hostile = await refused(server.socket(token, { origin }));
      expect(hostile).toMatchObject({ message: 'websocket error' });
      expect(hostile.data).toBeUndefined();
    }

    for (const origin of [server.url, 'https://chat.example.org', undefined]) {
      const socket = await connected(server.socket(token, { origin }));
      expect(socket.connected).toBe(true);
      socket.disconnect();
    }
  });
});

describe('coming back with the token', () => {
  it('restores identity, joined channels and the last open channel, and rejoins the rooms', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const first = uniqueName('first');
    const second = uniqueName('second');
    await bob.call('channel:create', { name: first });
    await bob.call('channel:create', { name: second });
    await alice.call('channel:join', { channel: first });
    await alice.call('channel:join', { channel: second });
    await alice.call('channel:join', { channel: first });
    alice.socket.disconnect();

    const back = new TestUser(alice.session, await connected(server.socket(alice.session.token)));
    const snapshot = await back.call('session:get');
    expect(snapshot.user).toEqual(alice.session.user);
    expect(snapshot.joined).toEqual([first.toLowerCase(), second.toLowerCase()]);
    expect(snapshot.lastChannel).toBe(first.toLowerCase());
    expect(snapshot.channels.map((channel) => channel.name)).toEqual(expect.arrayContaining([first, second]));

    const live = next(back.socket, 'message:new');
    await bob.call('message:send', { channel: second, text: 'welcome back', clientId: crypto.randomUUID() });
    expect((await live).text).toBe('welcome back');
  });

  it('forgets the last channel once the user leaves it', async () => {
    const alice = await server.user(uniqueName('alice'));
    const name = uniqueName('brief');
    await alice.call('channel:create', { name });
    await alice.call('channel:join', { channel: name });
    await alice.call('channel:leave', { channel: name });
    expect(await alice.call('session:get')).toMatchObject({ joined: [], lastChannel: null });
  });

  it('keeps the name held while one tab of the user is still connected', async () => {
    const name = uniqueName('dave');
    const dave = await server.user(name);
    const secondTab = await connected(server.socket(dave.session.token));
    dave.socket.disconnect();
    expect((await server.post('/api/sessions', { name })).status).toBe(409);
    secondTab.disconnect();
    expect((await server.post('/api/sessions', { name })).status).toBe(409);
  });
});

describe('forget me', () => {
  it('releases the name, leaves every channel and disconnects every tab of the session', async () => {
    const name = uniqueName('erin');
    const erin = await server.user(name);
    const otherTab = await connected(server.socket(erin.session.token));
    const channel = uniqueName('erins');
    await erin.call('channel:create', { name: channel });

    const endedInOtherTab = next(otherTab, 'session:ended');
    const disconnected = new Promise((resolve) => otherTab.once('disconnect', resolve));
    expect(await erin.call('session:forget')).toBeNull();
    await endedInOtherTab;
    await disconnected;

    expect((await refused(server.socket(erin.session.token))).data?.code).toBe('SESSION_UNKNOWN');
    const listed = (await server.get('/api/channels')).body as { name: string; members: number }[];
    // She was its only member, so it is gone with her.
    expect(listed.find((entry) => entry.name === channel)).toBeUndefined();
    const again = await server.claim(name);
    expect(again.user.id).not.toBe(erin.id);
  });
});

describe('the reservation period', () => {
  it('releases a name once nobody has used it for the configured time', async () => {
    const shortLived = await TestServer.start({ NAME_RESERVATION_SECONDS: '1' });
    try {
      const name = uniqueName('frank');
      const frank = await shortLived.user(name);
      frank.socket.disconnect();
      expect((await shortLived.post('/api/sessions', { name })).status).toBe(409);
      await sleep(1100);
      expect((await refused(shortLived.socket(frank.session.token))).data?.code).toBe('SESSION_UNKNOWN');
      expect((await shortLived.post('/api/sessions', { name })).status).toBe(201);
    } finally {
      await shortLived.stop();
    }
  });
});
