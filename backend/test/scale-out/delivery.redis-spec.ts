// Delivery across instances: a session that comes back through another instance catches up with no
// gap or duplicate, and a dropped connection is recovered there from the shared stream.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { collect, connected, next, sendMessage, settle, TestUser, uniqueName } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { claim, eventually, socketTo, type FlackInstance } from './support/flack-instance.js';
import type { RedisServer } from './support/redis-server.js';

describe('delivery on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { open, userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;
  let redis: RedisServer;

  beforeAll(async () => {
    ({ a, b, c, redis } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('restores a session on another instance and catches up with no gap or duplicate', async () => {
    const dave = await userOn(b);
    const erin = await userOn(c);
    const carolSession = await claim(a.url, uniqueName('carol'));
    const carolAtA = new TestUser(carolSession, await connected(open(socketTo(a.url, carolSession.token))));
    const { channel } = await dave.call('channel:create', { name: uniqueName('travel') });
    await carolAtA.call('channel:join', { channel: channel.id });
    await erin.call('channel:join', { channel: channel.id });

    const seen = collect(carolAtA.socket, 'message:new');
    const before = [];
    for (let n = 0; n < 5; n++)
      before.push(
        await sendMessage(dave, { channel: channel.id, text: `before ${n}`, clientId: randomUUID() }),
      );
    await settle(carolAtA, dave);
    expect(seen).toEqual(before);
    carolAtA.socket.disconnect();

    const missed = [];
    for (let n = 0; n < 10; n++) {
      const author = n % 2 === 0 ? dave : erin;
      missed.push(
        await sendMessage(author, {
          channel: channel.id,
          text: `missed ${n}`,
          clientId: randomUUID(),
        }),
      );
    }

    // Back through the other instance, with the same token.
    const carolAtC = new TestUser(carolSession, await connected(open(socketTo(c.url, carolSession.token))));
    const snapshot = await carolAtC.call('session:get');
    expect(snapshot.user).toEqual(carolSession.user);
    expect(snapshot.joined).toEqual([channel.id]);
    const lastSeen = seen[seen.length - 1].seq;
    const caughtUp = await carolAtC.call('channel:history', { channel: channel.id, afterSeq: lastSeen });
    expect(caughtUp.truncated).toBe(false);
    const view = [...seen, ...caughtUp.messages];
    expect(view.map((message) => message.seq)).toEqual(view.map((_, i) => i + 1));
    expect(view).toEqual([...before, ...missed]);

    // And it keeps receiving live there.
    const live = next(carolAtC.socket, 'message:new');
    const after = await sendMessage(erin, {
      channel: channel.id,
      text: 'welcome back',
      clientId: randomUUID(),
    });
    expect(await live).toEqual(after);
  });

  it('recovers a dropped connection on another instance through the shared stream', async () => {
    const frank = await userOn(a);
    const gina = await userOn(b);
    // A member on the instance frank comes back to: once it has the messages, they are in the stream.
    const henry = await userOn(c);
    const { channel } = await gina.call('channel:create', { name: uniqueName('recovery') });
    await frank.call('channel:join', { channel: channel.id });
    await henry.call('channel:join', { channel: channel.id });
    const henrySaw = collect(henry.socket, 'message:new');
    const first = next(frank.socket, 'message:new');
    await gina.call('message:send', { channel: channel.id, text: 'one', clientId: randomUUID() });
    await first;

    // The recovery state socket.io-client keeps (session id, last offset), carried to a new socket
    // on another instance, as if the load balancer had sent the reconnect there.
    type RecoveryState = { _pid?: string; _lastOffset?: string };
    const { _pid, _lastOffset } = frank.socket as unknown as RecoveryState;
    expect(_pid && _lastOffset).toBeTruthy();
    frank.socket.io.engine.close();
    // Instance a saves the session to Redis when it sees the connection go.
    const store = new Redis(redis.url);
    try {
      await eventually(
        'the session to be saved',
        async () => (await store.exists(`flack:socket.io:session:${_pid}`)) === 1,
      );
    } finally {
      store.disconnect();
    }
    const missed: Message[] = [];
    for (let n = 0; n < 3; n++)
      missed.push(
        await sendMessage(gina, {
          channel: channel.id,
          text: `while away ${n}`,
          clientId: randomUUID(),
        }),
      );

    // gina's own copy is local to instance b and can come before the stream has the message: wait
    // until instance c read all three from the stream, as a reconnect there would.
    await eventually('instance c to have read the missed messages', async () =>
      missed.every((message) => henrySaw.some((seen) => seen.id === message.id)),
    );
    const resumed = open(socketTo(c.url, frank.session.token));
    Object.assign(resumed as unknown as RecoveryState, { _pid, _lastOffset });
    const replayed = collect(resumed, 'message:new');
    await connected(resumed);
    expect(resumed.recovered).toBe(true);
    await settle(new TestUser(frank.session, resumed));
    expect(replayed).toEqual(missed);
  });
});
