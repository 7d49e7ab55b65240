// Read state: unread counts and mentions per user and channel, kept by the server for every tab.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connected, next, send, TestServer, twoInAChannel, uniqueName } from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('read state', () => {
  it('counts unread messages by others and mentions, per user, and agrees across tabs', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
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
    const { channel } = await twoInAChannel(server);
    const eve = await server.user(uniqueName('eve'));

    expect(await eve.fail('channel:read', { channel, seq: 1 })).toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(await eve.fail('channel:read', { channel, seq: -1 } as never)).toMatchObject({ code: 'INVALID' });
  });
});
