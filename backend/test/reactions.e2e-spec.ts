// Reactions: any member adds or takes back an emoji on a message, seen live by everyone in the
// channel and in every tab, kept with the message while it is in the history.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, withHistory, type Message } from '@flack/contract';
import { SyncingClient } from './support/syncing-client.js';
import {
  collect,
  connected,
  eventually,
  next,
  send,
  settle,
  TestServer,
  TestUser,
  twoInAChannel,
  uniqueName,
} from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

const stored = async (user: TestUser, channel: string, id: string) =>
  (await user.call('channel:history', { channel })).messages.find((message) => message.id === id);

describe('reactions', () => {
  it('are seen live by both people and both tabs, with who reacted, in order', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const aliceTab = new TestUser(alice.session, await connected(server.socket(alice.session.token)));
    const sent = await send(alice, channel, 'lunch at noon?');
    const seen = [alice, aliceTab, bob].map((user) => next(user.socket, 'message:updated'));

    const reacted = await bob.call('message:react', { channel, id: sent.id, emoji: '👍🏽' });

    expect(reacted).toEqual({
      ...sent,
      revision: 1,
      reactions: [{ emoji: '👍🏽', users: [bob.session.user] }],
    });
    expect(await Promise.all(seen)).toEqual([reacted, reacted, reacted]);

    await alice.call('message:react', { channel, id: sent.id, emoji: '🎉' });
    const both = await alice.call('message:react', { channel, id: sent.id, emoji: '👍🏽' });
    expect(both.reactions).toEqual([
      { emoji: '👍🏽', users: [bob.session.user, alice.session.user] },
      { emoji: '🎉', users: [alice.session.user] },
    ]);

    await settle(aliceTab);
    const takenBack = next(aliceTab.socket, 'message:updated');
    const after = await bob.call('message:unreact', { channel, id: sent.id, emoji: '👍🏽' });
    expect(after).toMatchObject({
      revision: 4,
      reactions: [
        { emoji: '👍🏽', users: [alice.session.user] },
        { emoji: '🎉', users: [alice.session.user] },
      ],
    });
    expect(await takenBack).toEqual(after);
    expect(await stored(bob, channel, sent.id)).toEqual(after);
  });

  it('changes nothing and tells nobody for a second reaction, or taking back one never made', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const sent = await send(alice, channel, 'hi');
    const updates = collect(bob.socket, 'message:updated');

    const once = await alice.call('message:react', { channel, id: sent.id, emoji: '👀' });
    expect(await alice.call('message:react', { channel, id: sent.id, emoji: '👀' })).toEqual(once);
    expect(await alice.call('message:unreact', { channel, id: sent.id, emoji: '🎉' })).toEqual(once);
    expect(await bob.call('message:unreact', { channel, id: sent.id, emoji: '👀' })).toEqual(once);
    await settle(alice, bob);

    expect(updates).toEqual([once]);
  });

  it('an emoji nobody has left disappears, and no reactions at all leaves no field', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const sent = await send(alice, channel, 'hi');
    await alice.call('message:react', { channel, id: sent.id, emoji: '🇫🇷' });
    await bob.call('message:react', { channel, id: sent.id, emoji: '👩‍💻' });
    await alice.call('message:unreact', { channel, id: sent.id, emoji: '🇫🇷' });
    const bare = await bob.call('message:unreact', { channel, id: sent.id, emoji: '👩‍💻' });

    expect(bare).toEqual({ ...sent, revision: 4 });
    expect(await stored(alice, channel, sent.id)).not.toHaveProperty('reactions');
  });

  it('keeps every one of 20 people reacting to one message at once', async () => {
    const { alice, channel } = await twoInAChannel(server);
    const crowd = await Promise.all(Array.from({ length: 20 }, () => server.user(uniqueName('fan'))));
    await Promise.all(crowd.map((fan) => fan.call('channel:join', { channel })));
    const sent = await send(alice, channel, 'we shipped it');

    await Promise.all(crowd.map((fan) => fan.call('message:react', { channel, id: sent.id, emoji: '🎉' })));

    const after = await stored(alice, channel, sent.id);
    expect(after?.revision).toBe(20);
    expect(after?.reactions?.[0]?.users.map((user) => user.id).sort()).toEqual(
      crowd.map((fan) => fan.id).sort(),
    );
  });

  it('come back after a dropped connection (replayed) and after a reload (in the history)', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const sent = await send(alice, channel, 'who is in?');
    const client = new SyncingClient(server, bob.session.token, [channel]);
    await client.connect();
    try {
      // Something heard live first: the connection then knows where it is in the channel's broadcasts.
      const later = await send(alice, channel, 'anyone?');
      await eventually('the client to show the second message', () =>
        client.view(channel).some((message) => message.id === later.id),
      );
      const reconnected = new Promise((resolve) => client.socket.io.once('reconnect', resolve));
      client.dropTransport();
      const reacted = await alice.call('message:react', { channel, id: sent.id, emoji: '🙋' });
      await reconnected;
      await settle(new TestUser(bob.session, client.socket));

      // The reaction changed an old message, which a catch-up by seq would not bring: the
      // connection's recovery replays the update it missed.
      expect(client.socket.recovered).toBe(true);
      expect(client.view(channel).find((message) => message.id === sent.id)).toEqual(reacted);
    } finally {
      client.socket.disconnect();
    }

    // A reload (a new connection, nothing to recover): the history holds the reaction.
    const reloaded = new TestUser(bob.session, await connected(server.socket(bob.session.token)));
    const { messages } = await reloaded.call('channel:join', { channel });
    const view = withHistory(undefined, messages, (message: Message) => message);
    expect(view.messages.find((message) => message.id === sent.id)?.reactions).toEqual([
      { emoji: '🙋', users: [alice.session.user] },
    ]);
  });

  it('go with the message when it is deleted, or leaves the 100-message history', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const doomed = await send(alice, channel, 'delete me');
    await bob.call('message:react', { channel, id: doomed.id, emoji: '😮' });
    const bobSees = next(bob.socket, 'message:updated');

    const tombstone = await alice.call('message:delete', { channel, id: doomed.id });

    expect(tombstone).not.toHaveProperty('reactions');
    expect(await bobSees).toEqual(tombstone);
    expect(await stored(bob, channel, doomed.id)).toEqual(tombstone);

    const old = await send(alice, channel, 'old news');
    await bob.call('message:react', { channel, id: old.id, emoji: '🗞️' });
    for (let i = 0; i < LIMITS.historySize; i++) await send(alice, channel, `m${i}`);
    const { messages } = await bob.call('channel:history', { channel });
    expect(messages.map((message) => message.id)).not.toContain(old.id);
    expect(JSON.stringify(messages)).not.toContain('🗞️');
  });

  it('are rate-limited with messages, yet a person reacting to several messages in a row is not refused', async () => {
    const limited = await TestServer.start({ MESSAGE_RATE_PER_SECOND: '5', MESSAGE_BURST: '20' });
    try {
      const { alice, bob, channel } = await twoInAChannel(limited);
      const sent: Message[] = [];
      for (let i = 0; i < 10; i++) sent.push(await send(bob, channel, `m${i}`));

      const quick = await Promise.all(
        sent.map((message) => alice.call('message:react', { channel, id: message.id, emoji: '👍' })),
      );
      expect(quick).toHaveLength(10);

      const flood = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          alice.socket.timeout(5000).emitWithAck('message:react', {
            channel,
            id: sent[i % 10]!.id,
            emoji: String.fromCodePoint(0x1f600 + (i % 20)),
          }),
        ),
      );
      const refused = flood.filter((answer) => !answer.ok);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]).toMatchObject({
        error: {
          code: 'RATE_LIMITED',
          message: expect.stringMatching(/too fast/),
          retryAfterMs: expect.any(Number),
        },
      });
    } finally {
      await limited.stop();
    }
  });

  describe('bad input gets a typed error in words, and changes nothing', () => {
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    let channel: string;
    let target: Message;
    let full: Message;
    let deleted: Message;
    let evicted: Message;

    beforeAll(async () => {
      ({ alice, bob, channel } = await twoInAChannel(server));
      outsider = await server.user(uniqueName('outsider'));
      evicted = await send(alice, channel, 'soon gone');
      for (let i = 0; i < LIMITS.historySize; i++) await send(alice, channel, `filler ${i}`);
      target = await send(alice, channel, 'react to me');
      full = await send(alice, channel, 'popular');
      for (let i = 0; i < LIMITS.reactionsPerMessage; i++) {
        full = await bob.call('message:react', {
          channel,
          id: full.id,
          emoji: String.fromCodePoint(0x1f600 + i),
        });
      }
      deleted = await send(alice, channel, 'gone');
      deleted = await alice.call('message:delete', { channel, id: deleted.id });
    });

    const notAnEmoji = { code: 'INVALID', message: 'That is not an emoji Flack knows.' };
    const gone = {
      code: 'NOT_FOUND',
      message: 'That message is no longer in the history (it may have been deleted).',
    };
    const cases: [string, () => { who: TestUser; payload: Record<string, unknown> }, object][] = [
      ['a word', () => ({ who: bob, payload: { channel, id: target.id, emoji: 'ok' } }), notAnEmoji],
      ['a shortcode', () => ({ who: bob, payload: { channel, id: target.id, emoji: ':+1:' } }), notAnEmoji],
      ['two emoji', () => ({ who: bob, payload: { channel, id: target.id, emoji: '👍👍' } }), notAnEmoji],
      [
        'an emoji with text',
        () => ({ who: bob, payload: { channel, id: target.id, emoji: '👍 ' } }),
        notAnEmoji,
      ],
      ['empty', () => ({ who: bob, payload: { channel, id: target.id, emoji: '' } }), notAnEmoji],
      ['a number', () => ({ who: bob, payload: { channel, id: target.id, emoji: 1 } }), notAnEmoji],
      ['no emoji', () => ({ who: bob, payload: { channel, id: target.id } }), notAnEmoji],
      [
        'a 21st emoji',
        () => ({ who: alice, payload: { channel, id: full.id, emoji: '🎉' } }),
        {
          code: 'INVALID',
          message: `A message can have at most ${LIMITS.reactionsPerMessage} different reactions. Add one of those already there.`,
        },
      ],
      ['a deleted message', () => ({ who: bob, payload: { channel, id: deleted.id, emoji: '👍' } }), gone],
      [
        'a message out of the history',
        () => ({ who: bob, payload: { channel, id: evicted.id, emoji: '👍' } }),
        gone,
      ],
      [
        'an id that is no message',
        () => ({ who: bob, payload: { channel, id: '00000000-0000-4000-8000-000000000000', emoji: '👍' } }),
        gone,
      ],
      [
        'an id that is no UUID',
        () => ({ who: bob, payload: { channel, id: 'abc', emoji: '👍' } }),
        { code: 'INVALID' },
      ],
      [
        'a non-member',
        () => ({ who: outsider, payload: { channel, id: target.id, emoji: '👍' } }),
        { code: 'NOT_A_MEMBER' },
      ],
      [
        'a user named in the payload',
        () => ({
          who: bob,
          payload: { channel, id: target.id, emoji: '👍', user: { id: alice.id, name: 'alice' } },
        }),
        { code: 'INVALID' },
      ],
    ];

    it.each(cases)('%s', async (name, make, error) => {
      const { who, payload } = make();
      const before = (await alice.call('channel:history', { channel })).messages;
      const updates = collect(alice.socket, 'message:updated');
      // Taking back an emoji a full message does not have is fine (nothing to take back).
      const events = name === 'a 21st emoji' ? ['message:react'] : ['message:react', 'message:unreact'];
      for (const event of events) {
        const answer = await (
          who.socket.timeout(5000) as unknown as {
            emitWithAck(event: string, payload: unknown): Promise<{ ok: boolean; error?: unknown }>;
          }
        ).emitWithAck(event, payload);
        expect(answer).toEqual({ ok: false, error: expect.objectContaining(error) });
      }
      await settle(alice, who);
      expect(updates).toEqual([]);
      expect((await alice.call('channel:history', { channel })).messages).toEqual(before);
    });
  });
});
