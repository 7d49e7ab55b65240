import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message, PresenceChange } from '@flack/contract';
import { PRESENCE_BATCH_MS } from '../src/presence/presence.gateway.js';
import { randomUUID } from 'node:crypto';
import {
  collect,
  connected,
  eventually,
  next,
  settle,
  TestServer,
  uniqueName,
  type TestUser,
} from './support/test-app.js';

// Short timings so expiry can be watched without slowing the suite; the rules are the same.
const PRESENCE_GRACE_MS = 300;
const TYPING_TIMEOUT_MS = 300;

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start({
    PRESENCE_GRACE_MS: String(PRESENCE_GRACE_MS),
    TYPING_TIMEOUT_MS: String(TYPING_TIMEOUT_MS),
  });
});

afterAll(async () => {
  await server.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const send = (user: TestUser, channel: string, text: string): Promise<Message> =>
  user.call('message:send', { channel, text, clientId: randomUUID() });

/** Alice creates a channel, bob joins it. */
async function twoInAChannel() {
  const alice = await server.user(uniqueName('alice'));
  const bob = await server.user(uniqueName('bob'));
  const channel = (await alice.call('channel:create', { name: uniqueName('room') })).channel.id;
  await bob.call('channel:join', { channel });
  return { alice, bob, channel };
}

describe('editing and deleting messages', () => {
  it('lets the author edit: every member sees the new text, marked edited', async () => {
    const { alice, bob, channel } = await twoInAChannel();
    const sent = await send(alice, channel, 'helo');
    const bobSees = next(bob.socket, 'message:updated');

    const edited = await alice.call('message:edit', { channel, id: sent.id, text: 'hello' });

    expect(edited).toMatchObject({ id: sent.id, seq: sent.seq, text: 'hello' });
    expect(Date.parse(edited.editedAt ?? '')).not.toBeNaN();
    expect(await bobSees).toEqual(edited);
    const { messages } = await bob.call('channel:history', { channel });
    expect(messages.map((m) => m.text)).toEqual(['hello']);
  });

  it('refuses an edit or delete by anyone but the author, and changes nothing', async () => {
    const { alice, bob, channel } = await twoInAChannel();
    const sent = await send(alice, channel, 'mine');

    expect(await bob.fail('message:edit', { channel, id: sent.id, text: 'yours now' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await bob.fail('message:delete', { channel, id: sent.id })).toMatchObject({ code: 'FORBIDDEN' });

    const { messages } = await alice.call('channel:history', { channel });
    expect(messages).toEqual([sent]);
  });

  it('deletes once: the text is gone for everyone, the seq stays, a second delete is NOT_FOUND', async () => {
    const { alice, bob, channel } = await twoInAChannel();
    const sent = await send(alice, channel, 'oops, secret');
    await send(alice, channel, 'after it');
    const bobSees = next(bob.socket, 'message:updated');

    const tombstone = await alice.call('message:delete', { channel, id: sent.id });

    expect(tombstone).toMatchObject({ id: sent.id, seq: sent.seq, text: '' });
    expect(tombstone.deletedAt).toBeDefined();
    expect(await bobSees).toEqual(tombstone);
    expect(await alice.fail('message:delete', { channel, id: sent.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await alice.fail('message:edit', { channel, id: sent.id, text: 'back' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const { messages } = await bob.call('channel:history', { channel });
    expect(messages.map((m) => [m.seq, m.text])).toEqual([
      [1, ''],
      [2, 'after it'],
    ]);
    expect(JSON.stringify(messages)).not.toContain('secret');
  });

  it('two tabs deleting at once: one removal, one clean NOT_FOUND', async () => {
    const { alice, channel } = await twoInAChannel();
    const secondTab = await connected(server.socket(alice.session.token));
    const sent = await send(alice, channel, 'delete me twice');

    const answers = await Promise.all([
      alice.socket.timeout(5000).emitWithAck('message:delete', { channel, id: sent.id }),
      secondTab.timeout(5000).emitWithAck('message:delete', { channel, id: sent.id }),
    ]);

    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok)).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
    ]);
    secondTab.disconnect();
  });

  it('does not let a late retry of the original send bring deleted text back', async () => {
    const { alice, channel } = await twoInAChannel();
    const clientId = randomUUID();
    const sent = await alice.call('message:send', { channel, text: 'regret', clientId });
    await alice.call('message:delete', { channel, id: sent.id });

    const retried = await alice.call('message:send', { channel, text: 'regret', clientId });

    expect(retried).toMatchObject({ id: sent.id, text: '' });
    expect(retried.deletedAt).toBeDefined();
  });
});

describe('who is online', () => {
  /** One user's presence changes among the batches a socket received. */
  const changesOf = (batches: PresenceChange[][], userId: string) =>
    batches.flat().filter((change) => change.user.id === userId);

  it('counts a user with two tabs once, and offline only after the last tab closed and the grace period', async () => {
    const watcher = await server.user(uniqueName('watcher'));
    const batches = collect(watcher.socket, 'presence:changed');
    const carol = await server.user(uniqueName('carol'));
    const secondTab = await connected(server.socket(carol.session.token));

    await eventually('carol online', () => changesOf(batches, carol.id).length > 0);
    expect(changesOf(batches, carol.id)).toEqual([{ user: carol.session.user, online: true }]);
    expect((await watcher.call('session:get')).online).toContainEqual(carol.session.user);

    carol.socket.disconnect();
    await pause(PRESENCE_GRACE_MS * 2 + PRESENCE_BATCH_MS);
    expect(changesOf(batches, carol.id)).toHaveLength(1);

    secondTab.disconnect();
    await eventually('carol offline', () => changesOf(batches, carol.id).length > 1);
    expect(changesOf(batches, carol.id)).toEqual([
      { user: carol.session.user, online: true },
      { user: carol.session.user, online: false },
    ]);
    expect((await watcher.call('session:get')).online).not.toContainEqual(carol.session.user);
  });

  it('does not flicker a reload: back within the grace period, no offline is announced', async () => {
    const watcher = await server.user(uniqueName('watcher'));
    const batches = collect(watcher.socket, 'presence:changed');
    const dave = await server.user(uniqueName('dave'));
    await eventually('dave online', () => changesOf(batches, dave.id).length > 0);

    dave.socket.disconnect();
    const reloaded = await connected(server.socket(dave.session.token));
    await pause(PRESENCE_GRACE_MS * 2 + PRESENCE_BATCH_MS * 2);

    expect(changesOf(batches, dave.id)).toEqual([{ user: dave.session.user, online: true }]);
    reloaded.disconnect();
  });

  it('sends the arrivals of many people at once as a few events, each person once', async () => {
    const watcher = await server.user(uniqueName('watcher'));
    const batches = collect(watcher.socket, 'presence:changed');
    const crowd = await Promise.all(Array.from({ length: 20 }, () => server.user(uniqueName('crowd'))));

    await eventually('the crowd online', () =>
      crowd.every((person) => changesOf(batches, person.id).length > 0),
    );
    expect(batches.length).toBeLessThan(crowd.length / 2);
    for (const person of crowd) expect(changesOf(batches, person.id)).toHaveLength(1);
  });

  it('lists a channel’s members to members only', async () => {
    const { alice, bob, channel } = await twoInAChannel();
    const eve = await server.user(uniqueName('eve'));

    const members = await alice.call('channel:members', { channel });

    expect(members.map((member) => member.id).sort()).toEqual([alice.id, bob.id].sort());
    expect(await eve.fail('channel:members', { channel })).toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('tells the members when someone joins or leaves', async () => {
    const { alice, bob, channel } = await twoInAChannel();
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

describe('typing', () => {
  it('shows who is typing to the channel and expires on its own', async () => {
    const { alice, bob, channel } = await twoInAChannel();
    const states = collect(bob.socket, 'typing');

    await alice.call('typing:start', { channel });
    await alice.call('typing:start', { channel });
    await settle(bob);
    expect(states).toEqual([{ channel, users: [alice.session.user] }]);

    expect(await next(bob.socket, 'typing', TYPING_TIMEOUT_MS * 10)).toEqual({ channel, users: [] });
  });

  it('ends when the typist stops, leaves, or closes the tab', async () => {
    const { alice, bob, channel } = await twoInAChannel();

    await alice.call('typing:start', { channel });
    await next(bob.socket, 'typing');
    const stopped = next(bob.socket, 'typing');
    await alice.call('typing:stop', { channel });
    expect(await stopped).toEqual({ channel, users: [] });

    await alice.call('typing:start', { channel });
    await next(bob.socket, 'typing');
    const left = next(bob.socket, 'typing');
    await alice.call('channel:leave', { channel });
    expect(await left).toEqual({ channel, users: [] });

    await bob.call('typing:start', { channel });
    const carol = await server.user(uniqueName('carol'));
    await carol.call('channel:join', { channel });
    const closed = next(carol.socket, 'typing');
    bob.socket.disconnect();
    expect(await closed).toEqual({ channel, users: [] });
  });

  it('is for members only', async () => {
    const { channel } = await twoInAChannel();
    const eve = await server.user(uniqueName('eve'));

    expect(await eve.fail('typing:start', { channel })).toMatchObject({ code: 'NOT_A_MEMBER' });
  });
});

describe('read state', () => {
  it('counts unread messages by others and mentions, per user, and agrees across tabs', async () => {
    const { alice, bob, channel } = await twoInAChannel();
    await send(alice, channel, 'plain news');
    await send(alice, channel, `hey @${bob.session.user.name}, look`);
    await send(bob, channel, 'my own message is never unread');

    const before = await bob.call('session:get');
    expect(before.readStates).toContainEqual({ channel, lastReadSeq: 0, unread: 2, mentions: 1 });

    const bobsOtherTab = await connected(server.socket(bob.session.token));
    const otherTabHears = next(bobsOtherTab, 'channel:read');
    const state = await bob.call('channel:read', { channel, seq: 2 });

    expect(state).toEqual({ channel, lastReadSeq: 2, unread: 0, mentions: 0 });
    expect(await otherTabHears).toEqual(state);
    // Going back changes nothing; a seq past the newest stops at the newest.
    expect(await bob.call('channel:read', { channel, seq: 1 })).toEqual(state);
    expect((await bob.call('channel:read', { channel, seq: 999 })).lastReadSeq).toBe(3);
    // Alice's counts are her own: Bob's message is unread for her.
    expect((await alice.call('session:get')).readStates).toContainEqual({
      channel,
      lastReadSeq: 0,
      unread: 1,
      mentions: 0,
    });
    bobsOtherTab.disconnect();
  });

  it('counts the history shown on joining as read', async () => {
    const alice = await server.user(uniqueName('alice'));
    const channel = (await alice.call('channel:create', { name: uniqueName('room') })).channel.id;
    await send(alice, channel, 'old news');
    const bob = await server.user(uniqueName('bob'));

    await bob.call('channel:join', { channel });

    expect((await bob.call('session:get')).readStates).toEqual([
      { channel, lastReadSeq: 1, unread: 0, mentions: 0 },
    ]);
  });

  it('refuses to mark a channel read for a non-member, and validates the seq', async () => {
    const { channel } = await twoInAChannel();
    const eve = await server.user(uniqueName('eve'));

    expect(await eve.fail('channel:read', { channel, seq: 1 })).toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(await eve.fail('channel:read', { channel, seq: -1 } as never)).toMatchObject({ code: 'INVALID' });
  });
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
  });
});
