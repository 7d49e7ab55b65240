// Default channels: a fresh server has #general (DEFAULT_CHANNELS), and a newcomer lands in it.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Channel } from '@flack/contract';
import { collect, next, send, settle, TestServer, uniqueName } from './support/test-app.js';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** `undefined` leaves DEFAULT_CHANNELS unset, as in production (test servers set it empty otherwise). */
async function start(DEFAULT_CHANNELS: string | undefined): Promise<TestServer> {
  server = await TestServer.start({ DEFAULT_CHANNELS });
  return server;
}

async function listing(of: TestServer): Promise<Channel[]> {
  return (await of.get('/api/channels')).body as Channel[];
}

describe('default channels', () => {
  it('a fresh server lists #general by default', async () => {
    const app = await start(undefined);
    expect((await listing(app)).map((channel) => [channel.name, channel.members])).toEqual([['general', 0]]);
  });

  it('creates every listed channel, and none when the list is empty', async () => {
    const withTwo = await start('general, Random');
    expect((await listing(withTwo)).map((channel) => channel.name)).toEqual(['general', 'Random']);
    await withTwo.stop();
    const none = await start('');
    expect(await listing(none)).toEqual([]);
  });

  it('joins a newcomer to each of them and opens the first one on first sign-in', async () => {
    const app = await start('general,random');
    const alice = await app.user(uniqueName('alice'));

    const snapshot = await alice.call('session:get');

    expect(snapshot.joined).toEqual(['general', 'random']);
    expect(snapshot.lastChannel).toBe('general');
    expect(snapshot.readStates.map((state) => [state.channel, state.unread])).toEqual([
      ['general', 0],
      ['random', 0],
    ]);
    expect((await listing(app)).map((channel) => channel.members)).toEqual([1, 1]);
    // A member from the first socket on: messages of the default channel reach them.
    const bob = await app.user(uniqueName('bob'));
    const heard = next(alice.socket, 'message:new');
    const message = await send(bob, 'general', 'welcome!');
    expect(await heard).toEqual(message);
  });

  it('tells the members who joined, and the newcomer starts with nothing unread', async () => {
    const app = await start('general');
    const alice = await app.user(uniqueName('alice'));
    for (let i = 0; i < 3; i++) await send(alice, 'general', `before you came ${i}`);
    const joined = collect(alice.socket, 'channel:membership');

    const bob = await app.user(uniqueName('bob'));

    await settle(alice);
    expect(joined).toEqual([{ channel: 'general', user: bob.session.user, joined: true }]);
    const [state] = (await bob.call('session:get')).readStates;
    expect(state).toMatchObject({ channel: 'general', unread: 0, lastReadSeq: 3 });
    expect((await bob.call('channel:join', { channel: 'general' })).messages).toHaveLength(3);
  });

  it('lets a newcomer leave it, and the channel stays even with nobody in it', async () => {
    const app = await start('general');
    const alice = await app.user(uniqueName('alice'));
    const removed = collect(alice.socket, 'channel:removed');

    await alice.call('channel:leave', { channel: 'general' });
    await alice.call('session:forget');

    const bob = await app.user(uniqueName('bob'));
    await settle(bob);
    expect(removed).toEqual([]);
    expect((await listing(app)).map((channel) => [channel.id, channel.members])).toEqual([['general', 1]]);
    expect((await bob.call('session:get')).lastChannel).toBe('general');
  });

  it('a channel a person created is still removed when its last member leaves', async () => {
    const app = await start('general');
    const alice = await app.user(uniqueName('alice'));
    const side = uniqueName('side');
    await alice.call('channel:create', { name: side });
    const removed = next(alice.socket, 'channel:removed');
    await alice.call('channel:leave', { channel: side });
    expect(await removed).toEqual({ channel: side });
    expect((await listing(app)).map((channel) => channel.id)).toEqual(['general']);
  });
});
