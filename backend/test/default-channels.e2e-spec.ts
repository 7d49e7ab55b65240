// Default channels: a fresh server has #general (DEFAULT_CHANNELS), and a newcomer lands in it.
// Test servers start without default channels (support/test-app.ts); these set them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Channel } from '@flack/contract';
import { collect, next, send, settle, TestServer, uniqueName } from './support/test-app.js';

async function listing(of: TestServer): Promise<Channel[]> {
  return (await of.get('/api/channels')).body as Channel[];
}

const membersOf = async (of: TestServer, id: string) =>
  (await listing(of)).find((channel) => channel.id === id)?.members;

describe('with DEFAULT_CHANNELS unset, as in production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ DEFAULT_CHANNELS: undefined });
  });
  afterAll(() => server.stop());

  it('a fresh server lists #general, with nobody in it yet', async () => {
    expect((await listing(server)).map((channel) => [channel.name, channel.members])).toEqual([
      ['general', 0],
    ]);
  });
});

describe('with DEFAULT_CHANNELS=general, Random', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ DEFAULT_CHANNELS: 'general, Random' });
  });
  afterAll(() => server.stop());

  it('creates each listed channel under the name as written', async () => {
    const listed = await listing(server);
    expect(listed.filter((channel) => ['general', 'random'].includes(channel.id)).map((c) => c.name)).toEqual(
      ['general', 'Random'],
    );
  });

  it('joins a newcomer to each of them and opens the first one on first sign-in', async () => {
    const before = await membersOf(server, 'random');
    const alice = await server.user(uniqueName('alice'));

    const snapshot = await alice.call('session:get');

    expect(snapshot.joined).toEqual(['general', 'random']);
    expect(snapshot.lastChannel).toBe('general');
    expect(await membersOf(server, 'random')).toBe(before! + 1);
    // A member from the first socket on: messages of the default channel reach them.
    const bob = await server.user(uniqueName('bob'));
    const heard = next(alice.socket, 'message:new');
    const message = await send(bob, 'general', 'welcome!');
    expect(await heard).toEqual(message);
  });

  it('tells the members who came, and the newcomer starts with nothing unread', async () => {
    const alice = await server.user(uniqueName('alice'));
    const newest = await send(alice, 'random', 'before you came');
    const joined = collect(alice.socket, 'channel:membership');

    const bob = await server.user(uniqueName('bob'));

    await settle(alice);
    expect(joined.filter((change) => change.user.id === bob.id)).toEqual([
      { channel: 'general', user: bob.session.user, joined: true },
      { channel: 'random', user: bob.session.user, joined: true },
    ]);
    const state = (await bob.call('session:get')).readStates.find((read) => read.channel === 'random');
    expect(state).toMatchObject({ unread: 0, lastReadSeq: newest.seq });
    expect((await bob.call('channel:join', { channel: 'random' })).messages.at(-1)).toEqual(newest);
  });

  it('lets a newcomer leave one, and it stays even with nobody in it', async () => {
    const alone = await TestServer.start({ DEFAULT_CHANNELS: 'lobby' });
    try {
      const alice = await alone.user(uniqueName('alice'));
      const removed = collect(alice.socket, 'channel:removed');

      await alice.call('channel:leave', { channel: 'lobby' });
      expect(await listing(alone)).toMatchObject([{ id: 'lobby', members: 0 }]);
      await alice.call('session:forget');

      const bob = await alone.user(uniqueName('bob'));
      await settle(bob);
      expect(removed).toEqual([]);
      expect((await listing(alone)).map((channel) => [channel.id, channel.members])).toEqual([['lobby', 1]]);
      expect((await bob.call('session:get')).lastChannel).toBe('lobby');
    } finally {
      await alone.stop();
    }
  });

  it('still removes a channel a person made once its last member leaves', async () => {
    const alice = await server.user(uniqueName('alice'));
    const side = uniqueName('side');
    await alice.call('channel:create', { name: side });
    const removed = next(alice.socket, 'channel:removed');
    await alice.call('channel:leave', { channel: side });
    expect(await removed).toEqual({ channel: side });
    expect((await listing(server)).map((channel) => channel.id)).not.toContain(side);
  });
});
