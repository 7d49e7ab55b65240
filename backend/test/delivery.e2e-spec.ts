import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { MessagesRepository } from '../src/messages/messages.repository.js';
import { asAcked, settleAll, SyncingClient } from './support/syncing-client.js';
import {
  connected,
  next,
  refused,
  sendMessage,
  settle,
  TestServer,
  TestUser,
  uniqueName,
  type ClientSocket,
} from './support/test-app.js';

describe('delivery across reconnects', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('stores a message once and acks it after reconnecting when the connection drops mid-send', async () => {
    const { token } = await server.claim(uniqueName('alice'));
    const channel = uniqueName('flaky');
    const socket: ClientSocket = io(server.url, {
      transports: ['websocket'],
      auth: { token },
      forceNew: true,
      reconnectionDelay: 20,
      // socket.io-client resends an unacknowledged packet after each reconnect.
      retries: 5,
      ackTimeout: 500,
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const snapshot = await socket.emitWithAck('session:get');
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const alice = new TestUser({ token, user: snapshot.data.user }, socket);
    await alice.call('channel:create', { name: channel });

    const clientId = randomUUID();
    const pending = socket.emitWithAck('message:send', { channel, text: 'through the storm', clientId });
    socket.io.engine.close();
    const answer = await pending;
    expect(answer).toMatchObject({ ok: true, data: { id: expect.any(String), seq: 1 } });

    const { messages } = await alice.call('channel:history', { channel });
    const stored = messages.filter((message) => message.clientId === clientId);
    expect(stored).toEqual([
      expect.objectContaining({ text: 'through the storm', ...(answer.ok && answer.data) }),
    ]);
    socket.disconnect();
  });

  it('catches a client up after a recovered reconnect, with no gap and no duplicate', async () => {
    const bob = await server.user(uniqueName('bob'));
    const channel = uniqueName('recover');
    await bob.call('channel:create', { name: channel });
    const alice = await server.claim(uniqueName('alice'));
    const client = new SyncingClient(server, alice.token, [channel.toLowerCase()]);
    await client.connect();
    await client.join(channel);

    const sent: Message[] = [];
    for (let i = 0; i < 5; i++)
      sent.push(await sendMessage(bob, { channel, text: `a${i}`, clientId: randomUUID() }));
    const reconnected = new Promise((resolve) => client.socket.io.once('reconnect', resolve));
    client.dropTransport();
    for (let i = 0; i < 5; i++)
      sent.push(await sendMessage(bob, { channel, text: `b${i}`, clientId: randomUUID() }));
    await reconnected;
    await settle(new TestUser(alice, client.socket));

    expect(client.socket.recovered).toBe(true);
    expect(client.view(channel.toLowerCase())).toEqual(sent);
  });

  it('catches a client up from history when the session could not be recovered', async () => {
    const bob = await server.user(uniqueName('bob'));
    const channel = uniqueName('history');
    await bob.call('channel:create', { name: channel });
    const alice = await server.claim(uniqueName('alice'));
    const client = new SyncingClient(server, alice.token, [channel.toLowerCase()]);
    await client.connect();
    await client.join(channel);
    const sent = [await sendMessage(bob, { channel, text: 'before', clientId: randomUUID() })];
    await settle(new TestUser(alice, client.socket));

    client.socket.disconnect();
    for (let i = 0; i < 7; i++)
      sent.push(await sendMessage(bob, { channel, text: `while away ${i}`, clientId: randomUUID() }));
    await client.connect();

    expect(client.socket.recovered).toBe(false);
    expect(client.view(channel.toLowerCase())).toEqual(sent);
  });

  it('replaces the view with the last 100 when more than 100 were missed', async () => {
    const bob = await server.user(uniqueName('bob'));
    const channel = uniqueName('flood');
    await bob.call('channel:create', { name: channel });
    const alice = await server.claim(uniqueName('alice'));
    const client = new SyncingClient(server, alice.token, [channel.toLowerCase()]);
    await client.connect();
    await client.join(channel);
    await bob.call('message:send', { channel, text: 'seen', clientId: randomUUID() });
    await settle(new TestUser(alice, client.socket));

    client.socket.disconnect();
    const sent: Message[] = [];
    for (let i = 0; i < 150; i++)
      sent.push(await sendMessage(bob, { channel, text: `m${i}`, clientId: randomUUID() }));
    await client.connect();

    expect(client.view(channel.toLowerCase())).toEqual(sent.slice(-100));
  });
});

describe('many tabs of one user', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  it('shows every tab the channels created, joined and left and the messages sent in another', async () => {
    const tab1 = await server.user(uniqueName('alice'));
    const tab2 = new TestUser(tab1.session, await connected(server.socket(tab1.session.token)));
    const bob = await server.user(uniqueName('bob'));
    const created = uniqueName('mine');
    const other = uniqueName('theirs');
    await bob.call('channel:create', { name: other });

    const joinedCreated = next(tab2.socket, 'channel:joined');
    await tab1.call('channel:create', { name: created });
    expect((await joinedCreated).name).toBe(created);

    const joinedOther = next(tab2.socket, 'channel:joined');
    await tab1.call('channel:join', { channel: other });
    expect((await joinedOther).name).toBe(other);

    const ownMessage = next(tab2.socket, 'message:new');
    const sent = await sendMessage(tab1, {
      channel: created,
      text: 'from tab 1',
      clientId: randomUUID(),
    });
    expect(await ownMessage).toEqual(sent);

    const left = next(tab2.socket, 'channel:left');
    await tab2.call('channel:leave', { channel: other });
    expect(await left).toEqual({ channel: other.toLowerCase() });
    await settle(tab1);

    // Neither tab hears the channel that was left any more.
    const heard: Message[] = [];
    tab1.socket.on('message:new', (message) => heard.push(message));
    tab2.socket.on('message:new', (message) => heard.push(message));
    await bob.call('message:send', { channel: other, text: 'gone?', clientId: randomUUID() });
    await settle(tab1, tab2);
    expect(heard).toEqual([]);
    expect((await tab1.call('session:get')).joined).toEqual([created.toLowerCase()]);
  });

  it('does not restore a left channel to a tab whose connection was recovered', async () => {
    const tab1 = await server.user(uniqueName('carol'));
    const client = new SyncingClient(server, tab1.session.token, []);
    await client.connect();
    const bob = await server.user(uniqueName('bob'));
    const channel = uniqueName('stale');
    await bob.call('channel:create', { name: channel });
    await tab1.call('channel:join', { channel });

    const heard: Message[] = [];
    const reconnected = new Promise((resolve) => client.socket.io.once('reconnect', resolve));
    client.dropTransport();
    await tab1.call('channel:leave', { channel });
    await reconnected;
    client.socket.on('message:new', (message) => heard.push(message));
    await bob.call('message:send', { channel, text: 'not for carol', clientId: randomUUID() });
    await settle(new TestUser(tab1.session, client.socket));
    expect(client.socket.recovered).toBe(true);
    expect(heard).toEqual([]);
  });
});

describe('restarts and shutdown', () => {
  it('refuses a token from before a restart, so the client knows to claim its name again', async () => {
    const before = await TestServer.start();
    const { token } = await before.claim('restart-alice');
    await before.stop();
    const after = await TestServer.start();
    try {
      expect((await refused(after.socket(token))).data?.code).toBe('SESSION_UNKNOWN');
      expect((await after.claim('restart-alice')).user.name).toBe('restart-alice');
    } finally {
      await after.stop();
    }
  });

  it('tells clients it is going away, answers what is in flight, and accepts no new connection', async () => {
    const server = await TestServer.start();
    const alice = await server.user(uniqueName('alice'));
    const channel = uniqueName('last');
    await alice.call('channel:create', { name: channel });
    const latecomer = await server.claim(uniqueName('late'));

    // Hold the next message in the store so it is provably in flight when the shutdown starts.
    const repository = server.app.get(MessagesRepository);
    const append = repository.append.bind(repository);
    let reachedStore!: () => void;
    const inStore = new Promise<void>((resolve) => (reachedStore = resolve));
    repository.append = async (draft) => {
      reachedStore();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return append(draft);
    };

    const goingAway = next(alice.socket, 'server:shutdown');
    const inFlight = sendMessage(alice, { channel, text: 'last words', clientId: randomUUID() });
    await inStore;
    // What SIGTERM triggers (main.ts enables Nest's shutdown hooks).
    const closing = server.app.close();
    await goingAway;
    expect((await inFlight).text).toBe('last words');
    await closing;
    alice.socket.disconnect();
    const refusedAfter = io(server.url, {
      transports: ['websocket'],
      auth: { token: latecomer.token },
      reconnection: false,
    });
    await expect(
      new Promise((resolve, reject) => {
        refusedAfter.once('connect', () => reject(new Error('connected to a closed server')));
        refusedAfter.once('connect_error', resolve);
      }),
    ).resolves.toBeDefined();
    refusedAfter.disconnect();
  });
});

describe('chaos: many clients, dropped connections, thousands of messages', () => {
  const CLIENTS = 50;
  const CHANNELS = 25;
  const CHANNELS_PER_CLIENT = 5;
  const MESSAGES_PER_CLIENT = 40;

  it('ends with every view equal to the stored history, every ack stored, no clientId twice', async () => {
    const server = await TestServer.start();
    try {
      const channelNames = Array.from({ length: CHANNELS }, (_, i) => `chaos-${i}`);
      const owner = await server.user('chaos-owner');
      for (const name of channelNames) await owner.call('channel:create', { name });

      const random = seeded(42);
      const clients: SyncingClient[] = [];
      for (let i = 0; i < CLIENTS; i++) {
        const channels = pick(channelNames, CHANNELS_PER_CLIENT, random);
        const { token } = await server.claim(`chaos-${i}`);
        const client = new SyncingClient(server, token, channels);
        await client.connect();
        for (const channel of channels) await client.join(channel);
        clients.push(client);
      }

      let drops = 0;
      let replacements = 0;
      const disrupt = () => {
        const victim = clients[Math.floor(random() * clients.length)];
        if (random() < 0.8) {
          victim.dropTransport();
          drops++;
        } else {
          void victim.connect().catch(() => undefined);
          replacements++;
        }
      };
      // Disruptions in proportion to traffic (not to time), so a slow machine is not hit harder.

      const started = Date.now();
      await Promise.all(
        clients.map(async (client) => {
          const channels = [...client.views.keys()];
          for (let n = 0; n < MESSAGES_PER_CLIENT; n++) {
            await client.send(channels[Math.floor(random() * channels.length)], `message ${n}`);
            if (random() < 0.15) disrupt();
          }
        }),
      );
      await settleAll(clients);

      const repository = server.app.get(MessagesRepository);
      const stored = new Map<string, Message[]>();
      for (const name of channelNames) stored.set(name, await repository.recent(name));
      const allStored = [...stored.values()].flat();
      const acked = clients.flatMap((client) => [...client.acked.values()]);

      expect(acked.length).toBe(CLIENTS * MESSAGES_PER_CLIENT);
      // Each acknowledged message was stored once: seqs per channel run 1..n with no gap or repeat.
      for (const name of channelNames) {
        const ackedHere = acked.filter((message) => message.channel === name).sort((a, b) => a.seq - b.seq);
        expect(ackedHere.map((message) => message.seq)).toEqual(ackedHere.map((_, i) => i + 1));
        // The store holds exactly the newest 100 of them.
        expect(stored.get(name)!.map(asAcked)).toEqual(ackedHere.slice(-100));
      }
      expect(new Set(allStored.map((message) => `${message.author.id} ${message.clientId}`)).size).toBe(
        allStored.length,
      );
      for (const client of clients) {
        for (const channel of client.views.keys())
          expect(client.view(channel).slice(-100)).toEqual(stored.get(channel));
      }
      const catchUps = clients.reduce((sum, client) => sum + client.catchUps, 0);
      // Figures for the closing note and the README.
      console.log(
        `chaos: ${acked.length} messages, ${CLIENTS} clients, ${CHANNELS} channels, ${drops} dropped transports, ` +
          `${replacements} replaced sockets, ${catchUps} history catch-ups, ${Date.now() - started} ms`,
      );
      expect(drops + replacements).toBeGreaterThan(100);
      for (const client of clients) client.socket.disconnect();
    } finally {
      await server.stop();
    }
  }, 60_000);
});

/** A small deterministic PRNG (mulberry32), so a failing chaos run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  while (chosen.length < count) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return chosen;
}
