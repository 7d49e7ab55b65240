// Flack on a real Redis Cluster of three masters (REDIS_CLUSTER_NODES), with three instances: the
// essentials work as on one Redis node, every key of Flack's is in the one slot of its hash tag,
// and the Socket.IO adapter's stream is served by another master.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Cluster as RedisCluster } from 'ioredis';
import { EPOCH_KEY, KEY_PREFIX } from '../../src/redis/redis-store.js';
import { collect, next, sendMessage, uniqueName } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { CommandCounter, type CommandCount } from './support/command-counter.js';
import { claim, eventually, health, post, type FlackInstance } from './support/flack-instance.js';

/** The Socket.IO adapter's stream (socket-io-adapter.ts), named outside Flack's hash tag. */
const ADAPTER_STREAM = 'flack:socket.io:broadcasts';

/** Every key of every master, with the port of the master that holds it. */
async function keysByMaster(redis: RedisCluster): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const node of redis.nodes('master')) {
    for (const key of await node.keys('*')) found.set(key, Number(node.options.port));
  }
  return found;
}

describe('three instances on a 3-master Redis Cluster', () => {
  const cluster = new Cluster();
  const { userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;
  let redis: RedisCluster;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start({ redisCluster: true }));
    redis = cluster.redisCluster!.client();
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await cluster.stop();
  });

  it('gives a name to one person however many instances are asked at once', async () => {
    const name = uniqueName('claimed');
    const answers = await Promise.all(
      [a, b, c].map((instance) => post(instance.url, '/api/sessions', { name })),
    );
    expect(answers.map(({ status }) => status).sort()).toEqual([201, 409, 409]);
  });

  it('shows a channel created on one instance on the others, and delivers its messages live and in history', async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const createdAtC = next(carol.socket, 'channel:created');
    const { channel } = await alice.call('channel:create', { name: uniqueName('clustered') });
    expect((await createdAtC).id).toBe(channel.id);
    expect((await bob.call('channel:list')).map((listed) => listed.id)).toContain(channel.id);
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });

    const [atB, atC] = [next(bob.socket, 'message:new'), next(carol.socket, 'message:new')];
    const sent = await sendMessage(alice, {
      channel: channel.id,
      text: 'over the cluster',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(sent);
    expect(await atC).toEqual(sent);

    const heardAtA = collect(alice.socket, 'message:new');
    const reply = await sendMessage(carol, { channel: channel.id, text: 'heard it', clientId: randomUUID() });
    await eventually('the reply to reach a', async () => heardAtA.some((message) => message.id === reply.id));
    expect([sent.seq, reply.seq]).toEqual([1, 2]);
    for (const user of [alice, bob, carol]) {
      expect((await user.call('channel:history', { channel: channel.id })).messages).toEqual([sent, reply]);
    }
  });

  it('shows someone online on one instance to people on the others', async () => {
    const watcher = await userOn(c);
    const changes = collect(watcher.socket, 'presence:changed');
    await watcher.call('session:get'); // As the app does: it holds the list, so it hears changes.
    const dana = await userOn(a, uniqueName('dana'));
    await eventually('dana to show as online at c', async () =>
      changes.flat().some((change) => change.user.id === dana.id && change.online),
    );
    const session = await claim(b.url, uniqueName('looker'));
    const looker = await cluster.tabOn(b, session);
    expect((await looker.call('session:get')).online).toContainEqual(dana.session.user);
  });

  it("keeps all of Flack's keys in one slot, and the adapter's stream on another master", async () => {
    const keys = await keysByMaster(redis);
    const untagged = [...keys.keys()].filter(
      (key) => !key.startsWith(KEY_PREFIX) && !key.startsWith('flack:socket.io'),
    );
    expect(untagged).toEqual([]);
    const flacks = [...keys].filter(([key]) => key.startsWith(KEY_PREFIX));
    expect(flacks.map(([key]) => key)).toContain(EPOCH_KEY);
    const slots = new Set(await Promise.all(flacks.map(([key]) => redis.cluster('KEYSLOT', key))));
    expect([...slots]).toEqual([await redis.cluster('KEYSLOT', KEY_PREFIX)]);
    const stream = [...keys].filter(
      ([key]) => key.startsWith('flack:socket.io') && key.endsWith('broadcasts'),
    );
    expect(stream).toHaveLength(1);
    expect(stream[0]![1]).not.toBe(keys.get(EPOCH_KEY));
  });

  it("spreads a message's work: its scripts on Flack's master, its broadcast on the stream's, none on the third", async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('spread') });
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });
    const send = async () => {
      const seen = [next(bob.socket, 'message:new'), next(carol.socket, 'message:new')];
      await sendMessage(alice, { channel: channel.id, text: 'where does it go', clientId: randomUUID() });
      await Promise.all(seen);
    };
    await send(); // Scripts loaded, the stream written once.
    // Presence travels on pub/sub, whose channel hashes to any master (here, often the third): wait
    // until every instance has heard the three come online, so no late presence update is counted.
    const everyone = [alice, bob, carol].map((user) => user.id);
    await eventually('the three to be online everywhere', async () => {
      const views = await Promise.all([alice, bob, carol].map((user) => user.call('session:get')));
      return views.every(({ online }) => everyone.every((id) => online.some((user) => user.id === id)));
    });
    const keys = await keysByMaster(redis);
    const flackMaster = keys.get(EPOCH_KEY)!;
    const streamMaster = keys.get(ADAPTER_STREAM)!;
    const third = cluster.redisCluster!.ports.find((port) => port !== flackMaster && port !== streamMaster)!;
    const ports = [flackMaster, streamMaster, third];
    const counters = await Promise.all(
      ports.map((port) => CommandCounter.start(`redis://127.0.0.1:${port}`)),
    );
    try {
      const [atFlack, atStream, atThird] = await during(counters, send);
      expect(atFlack!.topLevel.length).toBeGreaterThan(0);
      expect(atFlack!.topLevel.map(({ name }) => name)).not.toContain('XADD');
      // Plus one blocking XREAD per instance, which the counter leaves out as background.
      expect(atStream!.topLevel.map(({ name, args }) => `${name} ${args[0]}`)).toEqual([
        `XADD ${ADAPTER_STREAM}`,
      ]);
      expect(atThird).toEqual({ topLevel: [], inScripts: [] });
    } finally {
      for (const counter of counters) await counter.stop();
    }
  });

  it("answers 503 health within about a second while the master with Flack's slot hangs, and serves after", async () => {
    const flackMaster = (await keysByMaster(redis)).get(EPOCH_KEY)!;
    const healths = () => Promise.all([a, b, c].map((instance) => health(instance.url)));
    cluster.redisCluster!.freeze(flackMaster);
    try {
      await eventually('every instance to report the hung Redis', async () =>
        (await healths()).every((status) => status === 503),
      );
    } finally {
      cluster.redisCluster!.thaw(flackMaster);
    }
    await eventually('every instance to be healthy again', async () =>
      (await healths()).every((status) => status === 200),
    );
    const user = await userOn(b);
    expect((await user.call('session:get')).user).toEqual(user.session.user);
  });
});

/** `action` run once, counted by every counter (each on its own master) from before it started until it resolved. */
async function during(counters: CommandCounter[], action: () => Promise<void>): Promise<CommandCount[]> {
  let ready = 0;
  let release!: () => void;
  const allReady = new Promise<void>((resolve) => (release = resolve));
  let done: Promise<void> | undefined;
  return Promise.all(
    counters.map((counter) =>
      counter.during(async () => {
        if (++ready === counters.length) {
          done = action();
          release();
        }
        await allReady;
        await done;
      }),
    ),
  );
}
