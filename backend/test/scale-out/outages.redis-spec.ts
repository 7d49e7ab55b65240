// When something fails: Redis unreachable at start, an instance killed mid-traffic, Redis down for a
// while. Nothing acknowledged is lost, and the cluster recovers without a restart.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { asAcked, settleAll, SyncingClient } from '../support/syncing-client.js';
import { collect, next, sendMessage, uniqueName, type TestServer } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { claim, eventually, FlackInstance, health, post } from './support/flack-instance.js';
import { freePort, type RedisServer } from './support/redis-server.js';
import type { TcpBalancer } from './support/tcp-balancer.js';

describe('outages of three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;
  let redis: RedisServer;
  let balancer: TcpBalancer;

  beforeAll(async () => {
    ({ a, b, c, redis, balancer } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('refuses to start when Redis cannot be reached, with the reason', async () => {
    const port = await freePort();
    const instance = FlackInstance.spawn('no-redis', { REDIS_URL: `redis://127.0.0.1:${port}` });
    const exit = await instance.exited;
    expect(exit.code).not.toBe(0);
    expect(instance.output()).toContain(`Cannot reach Redis at redis://127.0.0.1:${port}`);
  });

  it('loses no acknowledged message when an instance is killed mid-traffic, and frees its users', async () => {
    const CLIENTS = 12;
    const CHANNELS = 3;
    const MESSAGES_PER_CLIENT = 20;
    // A user connected only to c, who must not hold the name forever once c is gone.
    const ghostName = uniqueName('ghost');
    const ghost = await userOn(c, ghostName);

    const checker = await userOn(a);
    const presenceAtA = collect(checker.socket, 'presence:changed');
    await checker.call('session:get'); // As the app does: it holds the list, so it hears changes.
    const channelIds: string[] = [];
    for (let i = 0; i < CHANNELS; i++)
      channelIds.push((await checker.call('channel:create', { name: uniqueName('crash') })).channel.id);
    // Through the balancer, so each client lands on some instance and reconnects to a live one.
    const viaBalancer = { url: balancer.url } as TestServer;
    const clients: SyncingClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const channel = channelIds[i % CHANNELS];
      const client = new SyncingClient(viaBalancer, (await claim(a.url, uniqueName('crash'))).token, [
        channel,
      ]);
      await client.connect();
      await client.join(channel);
      clients.push(client);
    }

    let acked = 0;
    let killed: Promise<unknown> | undefined;
    await Promise.all(
      clients.map(async (client) => {
        const [channel] = client.views.keys();
        for (let n = 0; n < MESSAGES_PER_CLIENT; n++) {
          await client.send(channel, `message ${n}`);
          if (++acked === (CLIENTS * MESSAGES_PER_CLIENT) / 3) killed = c.kill();
        }
      }),
    );
    expect((await killed)?.valueOf()).toMatchObject({ signal: 'SIGKILL' });

    await settleAll(clients);

    const allAcked = clients.flatMap((client) => [...client.acked.values()]);
    expect(allAcked).toHaveLength(CLIENTS * MESSAGES_PER_CLIENT);
    const stored: Message[] = [];
    for (const channel of channelIds) {
      const { messages } = await checker.call('channel:history', { channel });
      const ackedHere = allAcked
        .filter((message) => message.channel === channel)
        .sort((x, y) => x.seq - y.seq);
      // Every acknowledged message stored once, numbered 1..n with no gap or repeat.
      expect(ackedHere.map((message) => message.seq)).toEqual(ackedHere.map((_, i) => i + 1));
      expect(messages.map(asAcked)).toEqual(ackedHere);
      for (const client of clients.filter((client) => client.views.has(channel)))
        expect(client.view(channel)).toEqual(messages);
      stored.push(...messages);
    }
    expect(new Set(stored.map((message) => `${message.author.id} ${message.clientId}`)).size).toBe(
      stored.length,
    );
    for (const client of clients) client.socket.disconnect();

    // c's users do not stay online forever: their time in Redis runs out and a tells its clients.
    await eventually(
      'the dead instance’s user to go offline',
      async () => presenceAtA.flat().some((change) => change.user.id === ghost.id && !change.online),
      20_000,
    );
    // c's heartbeat stops; the others release its users after the reservation.
    await eventually(
      'the dead instance to let go of its user',
      async () => (await post(a.url, '/api/sessions', { name: ghostName })).status === 201,
      30_000,
    );
  }, 90_000);

  it('answers UNAVAILABLE while Redis is down and recovers when it is back, without a restart', async () => {
    const alice = await userOn(a);
    const bob = await userOn(b);
    const carol = await userOn(b);
    const { channel } = await alice.call('channel:create', { name: uniqueName('outage') });
    await bob.call('channel:join', { channel: channel.id });
    const before = await sendMessage(alice, {
      channel: channel.id,
      text: 'before',
      clientId: randomUUID(),
    });

    await redis.stop();
    await eventually(
      'both instances to report unhealthy',
      async () => (await health(a.url)) === 503 && (await health(b.url)) === 503,
    );
    const refused = await alice.fail('message:send', {
      channel: channel.id,
      text: 'lost?',
      clientId: randomUUID(),
    });
    expect(refused.code).toBe('UNAVAILABLE');
    expect(refused.message).toMatch(/try again/i);
    const claimed = await post(b.url, '/api/sessions', { name: uniqueName('during') });
    expect(claimed).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE' } });
    expect(alice.socket.connected && bob.socket.connected).toBe(true);
    // A connection dropped now makes Socket.IO save its recovery state to Redis, which must wait
    // for Redis rather than fail (and take the instance down).
    carol.socket.io.engine.close();
    await new Promise((resolve) => setTimeout(resolve, 500));

    await redis.resume();
    await eventually(
      'both instances to report healthy',
      async () => (await health(a.url)) === 200 && (await health(b.url)) === 200,
    );
    const atB = next(bob.socket, 'message:new', 15_000);
    const after = await sendMessage(alice, {
      channel: channel.id,
      text: 'after',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(after);
    expect(after.seq).toBe(before.seq + 1);
    expect((await bob.call('channel:history', { channel: channel.id })).messages).toEqual([before, after]);
  }, 60_000);
});
