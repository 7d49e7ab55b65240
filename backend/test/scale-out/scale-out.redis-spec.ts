import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { settleAll, SyncingClient } from '../support/syncing-client.js';
import {
  ack,
  collect,
  connected,
  next,
  settle,
  TestUser,
  uniqueName,
  type ClientSocket,
  type TestServer,
} from '../support/test-app.js';
import { claim, eventually, FlackInstance, health, post, socketTo } from './support/flack-instance.js';
import { freePort, RedisServer } from './support/redis-server.js';
import { TcpBalancer } from './support/tcp-balancer.js';

/** Short, so that releasing names can be watched within a test. */
const RESERVATION_SECONDS = 3;
/** Short too: presence and typing changes within a test. */
const PRESENCE_GRACE_MS = 500;
const TYPING_TIMEOUT_MS = 1500;

describe('Flack on Redis: three instances sharing one store', () => {
  let redis: RedisServer;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;
  let balancer: TcpBalancer;
  const sockets: ClientSocket[] = [];

  const open = (socket: ClientSocket): ClientSocket => {
    sockets.push(socket);
    return socket;
  };

  /** Claims a name on one instance and connects a socket to it. */
  async function userOn(instance: FlackInstance, name = uniqueName('user')): Promise<TestUser> {
    const session = await claim(instance.url, name);
    return new TestUser(session, await connected(open(socketTo(instance.url, session.token))));
  }

  beforeAll(async () => {
    redis = await RedisServer.start();
    const env = {
      REDIS_URL: redis.url,
      NAME_RESERVATION_SECONDS: String(RESERVATION_SECONDS),
      PRESENCE_GRACE_MS: String(PRESENCE_GRACE_MS),
      TYPING_TIMEOUT_MS: String(TYPING_TIMEOUT_MS),
    };
    [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => FlackInstance.start(name, env)));
    balancer = await TcpBalancer.start(() => [a, b, c].map((instance) => instance.port));
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await balancer?.close();
    await Promise.all([a, b, c].map((instance) => instance?.kill()));
    await redis?.destroy();
  });

  it('refuses to start when Redis cannot be reached, with the reason', async () => {
    const port = await freePort();
    const instance = FlackInstance.spawn('no-redis', { REDIS_URL: `redis://127.0.0.1:${port}` });
    const exit = await instance.exited;
    expect(exit.code).not.toBe(0);
    expect(instance.output()).toContain(`Cannot reach Redis at redis://127.0.0.1:${port}`);
  });

  it('delivers channels and messages to members on every instance', async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const name = uniqueName('everywhere');
    const createdAtC = next(carol.socket, 'channel:created');
    const { channel } = await alice.call('channel:create', { name });
    expect((await createdAtC).id).toBe(channel.id);
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });

    const [atB, atC] = [next(bob.socket, 'message:new'), next(carol.socket, 'message:new')];
    const sent = await alice.call('message:send', {
      channel: channel.id,
      text: 'hello from a',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(sent);
    expect(await atC).toEqual(sent);

    const heardAtA = collect(alice.socket, 'message:new');
    const reply = await carol.call('message:send', {
      channel: channel.id,
      text: 'hi from c',
      clientId: randomUUID(),
    });
    await eventually('the reply to reach a', async () => heardAtA.some((message) => message.id === reply.id));
    expect(heardAtA.filter((message) => message.id === reply.id)).toEqual([reply]);

    for (const user of [alice, bob, carol]) {
      expect((await user.call('channel:history', { channel: channel.id })).messages).toEqual([sent, reply]);
      expect((await user.call('channel:list')).find((listed) => listed.id === channel.id)?.members).toBe(3);
    }
  });

  it('lets exactly one of many concurrent claims of a name win, across instances', async () => {
    const base = uniqueName('racer');
    const variants = [base, base.toUpperCase(), base[0].toUpperCase() + base.slice(1)];
    const attempts = Array.from({ length: 30 }, (_, i) =>
      post([a, b, c][i % 3].url, '/api/sessions', { name: variants[i % variants.length] }),
    );
    const answers = await Promise.all(attempts);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused.map((answer) => (answer.body as { code: string }).code)).toEqual(
      refused.map(() => 'NAME_TAKEN'),
    );
  });

  it('lets exactly one of many concurrent creations of a channel win, across instances', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => userOn([a, b, c][i % 3])));
    const base = uniqueName('contested');
    const answers = await Promise.all(
      users.map((user, i) =>
        ack(user.socket, 'channel:create', { name: i % 2 === 0 ? base : base.toUpperCase() }),
      ),
    );
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.error.code)).toEqual(
      Array.from({ length: 11 }, () => 'CHANNEL_EXISTS'),
    );
    for (const user of users.slice(0, 3)) {
      const listed = (await user.call('channel:list')).filter((channel) => channel.id === base.toLowerCase());
      expect(listed).toHaveLength(1);
      expect(listed[0].members).toBe(1);
    }
  });

  it('keeps the newest 100 messages of a channel, numbered in order, with writers on every instance', async () => {
    const writers = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await writers[0].call('channel:create', { name: uniqueName('capped') });
    await writers[1].call('channel:join', { channel: channel.id });
    await writers[2].call('channel:join', { channel: channel.id });

    const acked = (
      await Promise.all(
        writers.map((writer, w) =>
          Promise.all(
            Array.from({ length: 50 }, (_, n) =>
              writer.call('message:send', {
                channel: channel.id,
                text: `w${w} n${n}`,
                clientId: randomUUID(),
              }),
            ),
          ),
        ),
      )
    ).flat();
    const seqs = acked.map((message) => message.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

    const newest = [...acked].sort((x, y) => x.seq - y.seq).slice(-100);
    for (const writer of writers) {
      expect((await writer.call('channel:history', { channel: channel.id })).messages).toEqual(newest);
    }
    expect((await writers[2].call('channel:list')).find((listed) => listed.id === channel.id)?.messages).toBe(
      100,
    );
  });

  it('stores a message sent through two instances with one clientId once', async () => {
    const session = await claim(a.url, uniqueName('twotabs'));
    const tabA = new TestUser(session, await connected(open(socketTo(a.url, session.token))));
    const tabB = new TestUser(session, await connected(open(socketTo(b.url, session.token))));
    const watcher = await userOn(c);
    const { channel } = await tabA.call('channel:create', { name: uniqueName('dedup') });
    await watcher.call('channel:join', { channel: channel.id });
    const heard = collect(watcher.socket, 'message:new');

    const payload = { channel: channel.id, text: 'only once', clientId: randomUUID() };
    const [first, second] = await Promise.all([
      tabA.call('message:send', payload),
      tabB.call('message:send', payload),
    ]);
    expect(second).toEqual(first);
    await settle(watcher, tabA, tabB);
    expect((await watcher.call('channel:history', { channel: channel.id })).messages).toEqual([first]);
    expect(heard).toEqual([first]);
  });

  it("keeps a user's tabs on different instances in step, down to forgetting the session", async () => {
    const session = await claim(a.url, uniqueName('tabs'));
    const tabA = new TestUser(session, await connected(open(socketTo(a.url, session.token))));
    const tabB = new TestUser(session, await connected(open(socketTo(b.url, session.token))));
    const other = await userOn(c);

    const joinedAtB = next(tabB.socket, 'channel:joined');
    const { channel } = await tabA.call('channel:create', { name: uniqueName('in-step') });
    expect(await joinedAtB).toEqual(channel);
    await other.call('channel:join', { channel: channel.id });
    // tab B was put in the channel's room by instance a, through the adapter.
    const atB = next(tabB.socket, 'message:new');
    const sent = await other.call('message:send', {
      channel: channel.id,
      text: 'to both tabs',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(sent);

    const endedAtB = next(tabB.socket, 'session:ended');
    const disconnectedB = new Promise((resolve) => tabB.socket.once('disconnect', resolve));
    await tabA.call('session:forget');
    await endedAtB;
    expect(await disconnectedB).toBe('io server disconnect');
    expect((await post(c.url, '/api/sessions', { name: session.user.name })).status).toBe(201);
  });

  it('holds a name while any instance has a tab of its session, and releases it after the last', async () => {
    const name = uniqueName('held');
    const session = await claim(a.url, name);
    const tabA = await connected(open(socketTo(a.url, session.token)));
    const tabB = await connected(open(socketTo(b.url, session.token)));

    tabA.disconnect();
    await new Promise((resolve) => setTimeout(resolve, (RESERVATION_SECONDS + 1) * 1000));
    // Still connected on b: the reservation has not even started.
    expect((await post(c.url, '/api/sessions', { name })).status).toBe(409);

    tabB.disconnect();
    await eventually(
      'the name to be free',
      async () => (await post(c.url, '/api/sessions', { name })).status === 201,
    );
  });

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
        await dave.call('message:send', { channel: channel.id, text: `before ${n}`, clientId: randomUUID() }),
      );
    await settle(carolAtA, dave);
    expect(seen).toEqual(before);
    carolAtA.socket.disconnect();

    const missed = [];
    for (let n = 0; n < 10; n++) {
      const author = n % 2 === 0 ? dave : erin;
      missed.push(
        await author.call('message:send', {
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
    const after = await erin.call('message:send', {
      channel: channel.id,
      text: 'welcome back',
      clientId: randomUUID(),
    });
    expect(await live).toEqual(after);
  });

  it('recovers a dropped connection on another instance through the shared stream', async () => {
    const frank = await userOn(a);
    const gina = await userOn(b);
    const { channel } = await gina.call('channel:create', { name: uniqueName('recovery') });
    await frank.call('channel:join', { channel: channel.id });
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
    const missed = [];
    for (let n = 0; n < 3; n++)
      missed.push(
        await gina.call('message:send', {
          channel: channel.id,
          text: `while away ${n}`,
          clientId: randomUUID(),
        }),
      );

    const resumed = open(socketTo(c.url, frank.session.token));
    Object.assign(resumed as unknown as RecoveryState, { _pid, _lastOffset });
    const replayed = collect(resumed, 'message:new');
    await connected(resumed);
    expect(resumed.recovered).toBe(true);
    await settle(new TestUser(frank.session, resumed));
    expect(replayed).toEqual(missed);
  });

  it('counts a user with tabs on two instances online once, and offline after the last tab everywhere', async () => {
    const watcher = await userOn(c);
    const changes = collect(watcher.socket, 'presence:changed');
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

  it('loses no acknowledged message when an instance is killed mid-traffic, and frees its users', async () => {
    const CLIENTS = 12;
    const CHANNELS = 3;
    const MESSAGES_PER_CLIENT = 20;
    // A user connected only to c, who must not hold the name forever once c is gone.
    const ghostName = uniqueName('ghost');
    const ghost = await userOn(c, ghostName);

    const checker = await userOn(a);
    const presenceAtA = collect(checker.socket, 'presence:changed');
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
      expect(messages).toEqual(ackedHere);
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
    const before = await alice.call('message:send', {
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
    const after = await alice.call('message:send', {
      channel: channel.id,
      text: 'after',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(after);
    expect(after.seq).toBe(before.seq + 1);
    expect((await bob.call('channel:history', { channel: channel.id })).messages).toEqual([before, after]);
  }, 60_000);
});
