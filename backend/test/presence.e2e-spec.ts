// Who is online: one user with many tabs counts once, offline only after the last tab and a grace period.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PresenceChange } from '@flack/contract';
import { PRESENCE_BATCH_MS } from '../src/presence/presence.gateway.js';
import { collect, connected, eventually, TestServer, uniqueName } from './support/test-app.js';

// A short grace period so that going offline can be watched without slowing the suite; the rules are the same.
const PRESENCE_GRACE_MS = 300;

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start({ PRESENCE_GRACE_MS: String(PRESENCE_GRACE_MS) });
});

afterAll(async () => {
  await server.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('who is online', () => {
  /** One user's presence changes among the batches a socket received. */
  const changesOf = (batches: PresenceChange[][], userId: string) =>
    batches.flat().filter((change) => change.user.id === userId);

  /** Someone whose app shows the online list: it asked for it (`session:get`), as the app does. */
  const watching = async () => {
    const watcher = await server.user(uniqueName('watcher'));
    const batches = collect(watcher.socket, 'presence:changed');
    await watcher.call('session:get');
    return { watcher, batches };
  };

  it('tells the changes to the sockets that asked for the online list, and only to them', async () => {
    const { batches } = await watching();
    const unasked = await server.user(uniqueName('bot'));
    const heardUnasked = collect(unasked.socket, 'presence:changed');
    const erin = await server.user(uniqueName('erin'));

    await eventually('erin online at the watcher', () => changesOf(batches, erin.id).length > 0);
    await pause(PRESENCE_BATCH_MS);
    expect(heardUnasked).toEqual([]);

    // Once it asks, it holds the list and hears what changes in it.
    expect((await unasked.call('session:get')).online).toContainEqual(erin.session.user);
    erin.socket.disconnect();
    await eventually('erin offline at the socket that asked', () =>
      heardUnasked.flat().some((change) => change.user.id === erin.id && !change.online),
    );
  });

  it('counts a user with two tabs once, and offline only after the last tab closed and the grace period', async () => {
    const { watcher, batches } = await watching();
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
    const { batches } = await watching();
    const dave = await server.user(uniqueName('dave'));
    await eventually('dave online', () => changesOf(batches, dave.id).length > 0);

    dave.socket.disconnect();
    const reloaded = await connected(server.socket(dave.session.token));
    await pause(PRESENCE_GRACE_MS * 2 + PRESENCE_BATCH_MS * 2);

    expect(changesOf(batches, dave.id)).toEqual([{ user: dave.session.user, online: true }]);
    reloaded.disconnect();
  });

  it('sends the arrivals of many people at once as a few events, each person once', async () => {
    const { batches } = await watching();
    const crowd = await Promise.all(Array.from({ length: 20 }, () => server.user(uniqueName('crowd'))));

    await eventually('the crowd online', () =>
      crowd.every((person) => changesOf(batches, person.id).length > 0),
    );
    expect(batches.length).toBeLessThan(crowd.length / 2);
    for (const person of crowd) expect(changesOf(batches, person.id)).toHaveLength(1);
  });
});
