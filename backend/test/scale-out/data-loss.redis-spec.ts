// Redis that comes back without Flack's data (restarted without persistence, FLUSHALL, a failover
// to an empty replica) is a restart of Flack: every instance notices within a ping or two, tells
// its sockets, and drops them with the rooms they were in; the apps claim their names again and
// join what exists. Without this, a name could be held twice and a re-created channel's messages
// went to its former members through rooms that survived in each instance's memory.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { EPOCH_KEY } from '../../src/redis/redis-store.js';
import { next, sendMessage, uniqueName, type ClientSocket, type TestUser } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { claim, eventually, health, socketTo, type FlackInstance } from './support/flack-instance.js';
import type { RedisServer } from './support/redis-server.js';

/** Two pings and an adoption, with room for a loaded two-core CI machine. */
const NOTICED_WITHIN_MS = 3000;

/** What a socket hears as its instance drops it: `server:shutdown`, then a server-side disconnect. */
function droppedByServer(socket: ClientSocket): Promise<{ shutdown: boolean; reason: string }> {
  let shutdown = false;
  socket.once('server:shutdown', () => (shutdown = true));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not dropped')), NOTICED_WITHIN_MS);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ shutdown, reason });
    });
  });
}

/** The handshake's answer to a token: connected, or the error code it was refused with. */
function handshake(instance: FlackInstance, token: string): Promise<string> {
  const socket = socketTo(instance.url, token);
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.disconnect();
      resolve(error.data?.code ?? error.message);
    });
    socket.connect();
  });
}

describe('Redis that loses its data, with three instances', () => {
  const cluster = new Cluster();
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;
  let redis: RedisServer;

  beforeAll(async () => {
    ({ a, b, c, redis } = await cluster.start());
  }, 60_000);
  afterAll(() => cluster.stop());

  /** Ann (on a) and Ben (on b) in one channel with a few messages; Cy (on c) in none. */
  async function before(): Promise<{ ann: TestUser; ben: TestUser; cy: TestUser; name: string }> {
    const [ann, ben, cy] = await Promise.all([cluster.userOn(a), cluster.userOn(b), cluster.userOn(c)]);
    const name = uniqueName('lost');
    const { channel } = await ann.call('channel:create', { name });
    await ben.call('channel:join', { channel: channel.id });
    for (const text of ['one', 'two', 'three'])
      await ann.call('message:send', { channel: channel.id, text, clientId: randomUUID() });
    return { ann, ben, cy, name };
  }

  it.each([
    ['FLUSHALL', () => redis.command('FLUSHALL').then(() => undefined)],
    ['a restart without persistence', () => redis.restartEmpty()],
  ])(
    'treats %s as a restart: every socket is told and dropped, no old session is honoured',
    async (_, lose) => {
      const { ann, ben, cy, name } = await before();
      const epochBefore = await redis.command('GET', EPOCH_KEY);
      expect(epochBefore).toEqual(expect.any(String));
      const dropped = [ann, ben, cy].map((user) => droppedByServer(user.socket));

      await lose();

      // Each instance finds out by itself, tells its own sockets, and lets them go.
      expect(await Promise.all(dropped)).toEqual(
        [ann, ben, cy].map(() => ({ shutdown: true, reason: 'io server disconnect' })),
      );
      const epochAfter = await redis.command('GET', EPOCH_KEY);
      expect(epochAfter).toEqual(expect.any(String));
      expect(epochAfter).not.toBe(epochBefore);
      for (const instance of [a, b, c]) expect(await health(instance.url)).toBe(200);

      // The old tokens are unknown everywhere, so nobody keeps a name the store no longer holds: the
      // app claims it again (as after a restart), and that claim is the only holder.
      for (const instance of [a, b, c])
        expect(await handshake(instance, ann.session.token)).toBe('SESSION_UNKNOWN');
      const annAgain = await cluster.tabOn(a, await claim(a.url, ann.session.user.name));
      const benAgain = await cluster.tabOn(b, await claim(b.url, ben.session.user.name));
      const cyAgain = await cluster.tabOn(c, await claim(c.url, cy.session.user.name));
      const online = (await annAgain.call('session:get')).online;
      expect(online.filter((user) => user.name === ann.session.user.name)).toHaveLength(1);

      // The channel is re-created under its old name: only its new members hear it. Ben and Cy
      // (who were in the old one's room on b and c) do not; Cy's next message is from his own channel.
      const { channel } = await annAgain.call('channel:create', { name });
      const { channel: cyChannel } = await cyAgain.call('channel:create', { name: uniqueName('cy') });
      await annAgain.call('channel:join', { channel: cyChannel.id });
      const atBen = new Promise<Message>((resolve) => benAgain.socket.once('message:new', resolve));
      const atCy = next(cyAgain.socket, 'message:new');
      await annAgain.call('message:send', { channel: channel.id, text: 'secret', clientId: randomUUID() });
      const hello = await sendMessage(annAgain, {
        channel: cyChannel.id,
        text: 'hello',
        clientId: randomUUID(),
      });
      expect(await atCy).toEqual(hello);
      const benHeard = await Promise.race([
        atBen,
        new Promise((resolve) => setTimeout(resolve, 500, 'nothing')),
      ]);
      expect(benHeard).toBe('nothing');
    },
    60_000,
  );

  it('keeps every session and socket when Redis restarts with its data', async () => {
    const { ann, ben, name } = await before();
    let shutdowns = 0;
    for (const user of [ann, ben]) user.socket.on('server:shutdown', () => shutdowns++);
    const epochBefore = await redis.command('GET', EPOCH_KEY);
    await redis.stop();
    await redis.resume();
    await eventually('every instance to be healthy', async () =>
      (await Promise.all([a, b, c].map((instance) => health(instance.url)))).every(
        (status) => status === 200,
      ),
    );
    // A few pings later still nobody was told to go: the epoch came back with the data.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await redis.command('GET', EPOCH_KEY)).toBe(epochBefore);
    expect(shutdowns).toBe(0);
    expect(await handshake(a, ann.session.token)).toBe('connected');
    const channels = await ben.call('channel:list');
    expect(channels.map((channel) => channel.name)).toContain(name);
  }, 60_000);
});
