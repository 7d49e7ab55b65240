// Topics and default channels across instances sharing one Redis: a topic set on one instance is
// announced and listed on the others; default channels are created once however many instances
// start at once, and a newcomer on any instance lands in them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Channel } from '@flack/contract';
import { Redis } from 'ioredis';
import { KEY_PREFIX } from '../../src/redis/redis-store.js';
import { collect, connected, next, settle, TestUser, uniqueName } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { claim, FlackInstance, socketTo } from './support/flack-instance.js';
import { RedisServer } from './support/redis-server.js';

async function listing(instance: FlackInstance): Promise<Channel[]> {
  return (await (await fetch(`${instance.url}/api/channels`)).json()) as Channel[];
}

describe('topics on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('announces a topic set on one instance on the others, and every instance lists it', async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('plans') });
    await bob.call('channel:join', { channel: channel.id });
    const heard = [alice, bob, carol].map((user) => next(user.socket, 'channel:updated'));

    const answer = await bob.call('channel:topic', { channel: channel.id, topic: 'Ship it on Thursday' });

    expect(answer.topic).toBe('Ship it on Thursday');
    expect(await Promise.all(heard)).toEqual([answer, answer, answer]);
    for (const instance of [a, b, c]) {
      expect((await listing(instance)).find((listed) => listed.id === channel.id)?.topic).toBe(
        'Ship it on Thursday',
      );
    }
    expect((await carol.call('session:get')).channels.find((listed) => listed.id === channel.id)).toEqual(
      answer,
    );

    await alice.call('channel:topic', { channel: channel.id, topic: '' });
    for (const instance of [a, b, c]) {
      expect((await listing(instance)).find((listed) => listed.id === channel.id)).not.toHaveProperty(
        'topic',
      );
    }
  });

  it("tells a direct conversation's topic to its two people only, wherever they are connected", async () => {
    const [alice, bob, eve] = await Promise.all([userOn(a), userOn(c), userOn(b)]);
    const { channel } = await alice.call('dm:open', { userId: bob.id });
    const toEve = collect(eve.socket, 'channel:updated');
    const toBob = next(bob.socket, 'channel:updated');

    const answer = await alice.call('channel:topic', { channel: channel.id, topic: 'Lunch?' });

    expect(await toBob).toEqual(answer);
    await settle(eve);
    expect(toEve).toEqual([]);
  });

  it('keeps one of two racing topics, on every instance alike', async () => {
    const [alice, bob] = await Promise.all([userOn(a), userOn(b)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('race') });
    await bob.call('channel:join', { channel: channel.id });
    await Promise.all([
      alice.call('channel:topic', { channel: channel.id, topic: 'from a' }),
      bob.call('channel:topic', { channel: channel.id, topic: 'from b' }),
    ]);
    const topics = await Promise.all(
      [a, b, c].map(async (instance) => (await listing(instance)).find((l) => l.id === channel.id)?.topic),
    );
    expect(['from a', 'from b']).toContain(topics[0]);
    expect(new Set(topics).size).toBe(1);
  });
});

describe('default channels on instances sharing one Redis', () => {
  let redis: RedisServer;
  const instances: FlackInstance[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.kill()));
    await redis.destroy();
  });

  const startAll = (names: string[]) =>
    Promise.all(
      names.map(async (name) => {
        const instance = await FlackInstance.start(name, {
          REDIS_URL: redis.url,
          DEFAULT_CHANNELS: 'general,random',
        });
        instances.push(instance);
        return instance;
      }),
    );

  it('creates each once when several instances start at once, and again-started ones find them', async () => {
    const [a, b, c] = await startAll(['a', 'b', 'c']);
    for (const instance of [a, b, c]) {
      expect((await listing(instance)).map((channel) => channel.id)).toEqual(['general', 'random']);
    }
    const [d] = await startAll(['d']);
    expect((await listing(d)).map((channel) => channel.id)).toEqual(['general', 'random']);
    const client = new Redis(redis.url);
    expect(await client.scard(`${KEY_PREFIX}channels`)).toBe(2);
    client.disconnect();
  }, 60_000);

  it('joins a newcomer claiming on any instance, who opens #general first', async () => {
    const session = await claim(instances[0]!.url, uniqueName('newcomer'));
    const tab = new TestUser(session, await connected(socketTo(instances[1]!.url, session.token)));
    try {
      const snapshot = await tab.call('session:get');
      expect([snapshot.joined, snapshot.lastChannel]).toEqual([['general', 'random'], 'general']);
    } finally {
      tab.socket.disconnect();
    }
  });
});
