// Presence and typing across instances: one user online once wherever their tabs are, and one list
// of typists for a channel whose members are on different instances.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KEY_PREFIX } from '../../src/redis/redis-store.js';
import { collect, connected, TestUser, uniqueName } from '../support/test-app.js';
import { Cluster, PRESENCE_GRACE_MS } from './support/cluster.js';
import { claim, eventually, socketTo, type FlackInstance } from './support/flack-instance.js';

describe('presence on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { open, userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('counts a user with tabs on two instances online once, and offline after the last tab everywhere', async () => {
    const watcher = await userOn(c);
    const changes = collect(watcher.socket, 'presence:changed');
    await watcher.call('session:get'); // As the app does: it holds the list, so it hears changes.
    const carol = await userOn(a, uniqueName('carol'));
    const secondTab = await connected(open(socketTo(b.url, carol.session.token)));
    const carolChanges = () => changes.flat().filter((change) => change.user.id === carol.id);

    await eventually('carol to show as online at c', async () => carolChanges().length > 0);
    for (const instance of [a, b, c]) {
      const session = await claim(instance.url, uniqueName('looker'));
      const looker = new TestUser(session, await connected(open(socketTo(instance.url, session.token))));
      expect((await looker.call('session:get')).online).toContainEqual(carol.session.user);
    }

    carol.socket.disconnect();
    // Past the grace period and a few looks: the tab on b keeps her online.
    await new Promise((resolve) => setTimeout(resolve, PRESENCE_GRACE_MS + 4_500));
    expect(carolChanges()).toEqual([{ user: carol.session.user, online: true }]);

    secondTab.disconnect();
    await eventually('carol to go offline at c', async () => carolChanges().length === 2, 20_000);
    expect(carolChanges()).toEqual([
      { user: carol.session.user, online: true },
      { user: carol.session.user, online: false },
    ]);
    expect((await watcher.call('session:get')).online).not.toContainEqual(carol.session.user);
  }, 40_000);

  it('reaches everyone with a change whose publication was lost (its instance died right after the write)', async () => {
    const watcher = await userOn(c);
    const changes = collect(watcher.socket, 'presence:changed');
    await watcher.call('session:get'); // As the app does: it holds the list, so it hears changes.
    const ghost = { id: `ghost-${uniqueName('id')}`, name: uniqueName('ghost') };
    const ghostChanges = () => changes.flat().filter((change) => change.user.id === ghost.id);
    // What an instance's claim writes, without the publication that should follow it.
    const write = (...commands: (string | number)[][]) =>
      Promise.all(commands.map((command) => cluster.redis.command(...command)));
    await write(
      ['HSET', `${KEY_PREFIX}presence:users`, ghost.id, JSON.stringify(ghost)],
      ['HINCRBY', `${KEY_PREFIX}presence:counts`, ghost.id, 1],
    );
    await write(['INCR', `${KEY_PREFIX}presence:seq`]);

    // The instances notice a numbered update they never heard of, and read the list again.
    await eventually('the ghost to show as online at c', async () => ghostChanges().length === 1);
    expect((await watcher.call('session:get')).online).toContainEqual(ghost);

    await write(
      ['HDEL', `${KEY_PREFIX}presence:users`, ghost.id],
      ['HDEL', `${KEY_PREFIX}presence:counts`, ghost.id],
    );
    await write(['INCR', `${KEY_PREFIX}presence:seq`]);
    await eventually('the ghost to go offline at c', async () => ghostChanges().length === 2);
    expect(ghostChanges()).toEqual([
      { user: ghost, online: true },
      { user: ghost, online: false },
    ]);
  });

  it('shows one list of typists to a channel whose members are on different instances', async () => {
    const [alice, bob] = await Promise.all([userOn(a), userOn(b)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('typing') });
    await bob.call('channel:join', { channel: channel.id });
    const seenByAlice = collect(alice.socket, 'typing');
    const seenByBob = collect(bob.socket, 'typing');

    await alice.call('typing:start', { channel: channel.id });
    await eventually('bob to see alice typing', async () => seenByBob.length === 1);
    await bob.call('typing:start', { channel: channel.id });
    await eventually('alice to see both typing', async () => seenByAlice.length === 2);
    expect(
      seenByAlice
        .at(-1)
        ?.users.map((user) => user.id)
        .sort(),
    ).toEqual([alice.id, bob.id].sort());

    await alice.call('typing:stop', { channel: channel.id });
    await eventually('bob to see alice stop', async () => seenByBob.length === 3);
    expect(seenByBob.at(-1)).toEqual({ channel: channel.id, users: [bob.session.user] });
    // Bob stops sending "typing": it runs out on b's timer and a hears of it too.
    await eventually('bob to run out', async () => seenByAlice.at(-1)?.users.length === 0, 10_000);
  });
});
