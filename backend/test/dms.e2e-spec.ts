// Direct messages: one conversation per pair of people, for their eyes only.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { collect, next, send, settle, TestServer, uniqueName } from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('direct messages', () => {
  it('opens one conversation for two people, from either side, and tells both of them', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const bobHears = next(bob.socket, 'channel:joined');

    const opened = await alice.call('dm:open', { userId: bob.id });
    const fromBob = await bob.call('dm:open', { userId: alice.id });

    expect(opened.channel.dm?.map((user) => user.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(fromBob.channel.id).toBe(opened.channel.id);
    expect(await bobHears).toEqual(opened.channel);
    for (const person of [alice, bob]) {
      const snapshot = await person.call('session:get');
      expect(snapshot.joined).toContain(opened.channel.id);
      expect(snapshot.channels.map((channel) => channel.id)).toContain(opened.channel.id);
    }
  });

  it('delivers to the two only, now and through history, and hides the conversation from others', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const eve = await server.user(uniqueName('eve'));
    const eveHears = collect(eve.socket, 'message:new');
    const { channel } = await alice.call('dm:open', { userId: bob.id });
    const bobReceives = next(bob.socket, 'message:new');

    const sent = await send(alice, channel.id, 'just between us');

    expect(await bobReceives).toEqual(sent);
    for (const attempt of [
      eve.fail('channel:join', { channel: channel.id }),
      eve.fail('channel:history', { channel: channel.id }),
      eve.fail('message:send', { channel: channel.id, text: 'let me in', clientId: randomUUID() }),
    ]) {
      expect(await attempt).toMatchObject({ code: 'NOT_FOUND' });
    }
    await settle(eve);
    expect(eveHears).toEqual([]);
    expect((await eve.call('session:get')).channels.map((c) => c.id)).not.toContain(channel.id);
    expect((await eve.call('channel:list')).map((c) => c.id)).not.toContain(channel.id);
    const listed = (await server.get('/api/channels')).body as { id: string }[];
    expect(listed.map((c) => c.id)).not.toContain(channel.id);
    expect((await bob.call('channel:history', { channel: channel.id })).messages).toEqual([sent]);
  });

  it('keeps the 100 most recent messages of a conversation', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const { channel } = await alice.call('dm:open', { userId: bob.id });

    for (let i = 1; i <= 105; i++) await send(i % 2 ? alice : bob, channel.id, `dm ${i}`);

    const { messages } = await bob.call('channel:history', { channel: channel.id });
    expect(messages).toHaveLength(100);
    expect(messages[0].text).toBe('dm 6');
    expect(messages.at(-1)?.text).toBe('dm 105');
  });

  it('refuses an unknown person, oneself, and leaving', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const { channel } = await alice.call('dm:open', { userId: bob.id });

    expect(await alice.fail('dm:open', { userId: randomUUID() })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await alice.fail('dm:open', { userId: alice.id })).toMatchObject({ code: 'INVALID' });
    expect(await alice.fail('dm:open', { userId: 'not-a-uuid' })).toMatchObject({ code: 'INVALID' });
    expect(await alice.fail('channel:leave', { channel: channel.id })).toMatchObject({ code: 'FORBIDDEN' });
    // Someone else's conversation answers exactly as one that does not exist.
    const eve = await server.user(uniqueName('eve'));
    const invented = `dm:${'0'.repeat(64)}`;
    for (const event of ['channel:leave', 'channel:join', 'channel:history', 'channel:members'] as const) {
      const theirs = await eve.fail(event, { channel: channel.id });
      const none = await eve.fail(event, { channel: invented });
      expect(theirs).toEqual(none);
      expect(theirs).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
