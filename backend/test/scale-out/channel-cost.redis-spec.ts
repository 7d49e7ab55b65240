// What a channel operation, the channel listing and a reconnect cost in Redis commands, counted
// with Redis's own MONITOR: numbers that must not grow with the number of channels (issue 17).
// Commands are put down to the feature that sent them, by the keys they touch, so that presence,
// the adapter's publishes and the message store are reported beside (not hidden in) the count of
// channels and sessions, which is what these tests hold to a number.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Channel } from '@flack/contract';
import { connected, TestUser, uniqueName, type ClientSocket } from '../support/test-app.js';
import { CommandCounter, type CommandCount, type SeenCommand } from './support/command-counter.js';
import { claim, FlackInstance, socketTo } from './support/flack-instance.js';
import { RedisServer } from './support/redis-server.js';

type Part = 'channels and sessions' | 'presence' | 'adapter' | 'rate limit' | 'messages';

/** The keys a command touches: a script's KEYS, or a plain command's first argument. */
function keysOf({ name, args }: SeenCommand): string[] {
  if (name === 'EVALSHA' || name === 'EVAL') return args.slice(2, 2 + Number(args[1]));
  return args.slice(0, 1);
}

/** Which feature a command belongs to. Connection bookkeeping (who is online, where) is presence. */
function partOf(command: SeenCommand): Part {
  // The Socket.IO adapter's stream, and what servers tell each other (presence's serverSideEmit).
  if (command.name.startsWith('X') || command.name.endsWith('PUBLISH')) return 'adapter';
  const keys = keysOf(command);
  const has = (pattern: RegExp) => keys.some((key) => pattern.test(key));
  if (has(/:rate:/)) return 'rate limit';
  if (has(/:presence:|:typing:|:instances?\b|:users:expiring$|:files?:/)) return 'presence';
  // Inside the connection scripts: is the user there, then held with no expiry.
  if (command.name === 'EXISTS' && has(/:user:[^:]+$/)) return 'presence';
  if (command.name === 'HSET' && command.args[1] === 'expiresAt') return 'presence';
  if (has(/:channel:.*:(messages|seq|dedup|dedup-order)$|:user:[^:]+:read$/)) return 'messages';
  return 'channels and sessions';
}

interface Cost {
  topLevel: number;
  inScripts: number;
  /** Top-level and in-script commands per part, for the report. */
  parts: Record<Part, { topLevel: number; inScripts: number }>;
  /** The channels and sessions part as command names, to compare two costs whole. */
  shape: { topLevel: string[]; inScripts: string[] };
}

function costOf({ topLevel, inScripts }: CommandCount): Cost {
  const parts = Object.fromEntries(
    (['channels and sessions', 'presence', 'adapter', 'rate limit', 'messages'] as const).map((part) => [
      part,
      {
        topLevel: topLevel.filter((command) => partOf(command) === part).length,
        inScripts: inScripts.filter((command) => partOf(command) === part).length,
      },
    ]),
  ) as Cost['parts'];
  const ours = (commands: SeenCommand[]) =>
    commands.filter((command) => partOf(command) === 'channels and sessions').map(({ name }) => name);
  return {
    topLevel: parts['channels and sessions'].topLevel,
    inScripts: parts['channels and sessions'].inScripts,
    parts,
    shape: { topLevel: ours(topLevel), inScripts: ours(inScripts) },
  };
}

/** Set FLACK_COST_REPORT=1 to print every measured cost (the figures of docs/scaling.md). */
const report: Record<string, Cost['parts']> = {};

describe('Redis commands per channel operation and per reconnect', () => {
  let redis: RedisServer;
  let a: FlackInstance;
  let b: FlackInstance;
  let counter: CommandCounter;
  const sockets: ClientSocket[] = [];

  const userOn = async (instance: FlackInstance, name = uniqueName('user')): Promise<TestUser> => {
    const session = await claim(instance.url, name);
    const socket = await connected(socketTo(instance.url, session.token));
    sockets.push(socket);
    return new TestUser(session, socket);
  };

  const measure = async (what: string, action: () => Promise<unknown>): Promise<Cost> => {
    const cost = costOf(await counter.during(action));
    report[what] = cost.parts;
    return cost;
  };

  const listing = async (instance: FlackInstance): Promise<Channel[]> =>
    (await fetch(`${instance.url}/api/channels`)).json() as Promise<Channel[]>;

  let creator: TestUser;
  /** Creates channels until `total` exist. */
  const createUntil = async (total: number) => {
    const existing = (await listing(a)).length;
    for (let i = existing; i < total; i++) await creator.call('channel:create', { name: uniqueName('c') });
  };

  beforeAll(async () => {
    redis = await RedisServer.start();
    [a, b] = await Promise.all(['a', 'b'].map((name) => FlackInstance.start(name, { REDIS_URL: redis.url })));
    counter = await CommandCounter.start(redis.url);
    creator = await userOn(a);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await counter?.stop();
    await Promise.all([a, b].map((instance) => instance?.kill()));
    await redis?.destroy();
    if (process.env['FLACK_COST_REPORT']) console.log(JSON.stringify(report, null, 1));
  });

  it('creates a channel with as many commands among 500 channels as among 5', async () => {
    await createUntil(5);
    const atFive = await measure('channel:create at 5', () =>
      creator.call('channel:create', { name: uniqueName('five') }),
    );
    await createUntil(500);
    const atFiveHundred = await measure('channel:create at 500', () =>
      creator.call('channel:create', { name: uniqueName('five-hundred') }),
    );
    expect(atFiveHundred.shape).toEqual(atFive.shape);
    expect(atFive.topLevel).toBe(1);
  });

  it('answers GET /api/channels from its cache, and fresh on every instance after a create elsewhere', async () => {
    await listing(a);
    await listing(b);
    let cached: Channel[] = [];
    const again = await measure('GET /api/channels, cached', async () => (cached = await listing(a)));
    // One script, which reads the two versions and nothing else.
    expect(again.topLevel).toBe(1);
    expect(again.shape.inScripts).toEqual(['GET', 'GET']);

    const name = uniqueName('elsewhere');
    await (await userOn(b)).call('channel:create', { name });
    let fresh: Channel[][] = [];
    const rebuilt = await measure('GET /api/channels, after a create', async () => {
      fresh = await Promise.all([listing(a), listing(b)]);
    });
    for (const seen of fresh) {
      expect(seen.map((channel) => channel.name)).toContain(name);
      expect(seen).toHaveLength(cached.length + 1);
    }
    expect(rebuilt.topLevel).toBeLessThanOrEqual(2);
  });

  it('reconnects and answers session:get with as many commands for 50 joined channels as for 1', async () => {
    await createUntil(60);
    const ids = (await listing(a)).map((channel) => channel.id);
    const few = await userOn(b);
    const many = await userOn(b);
    await few.call('channel:join', { channel: ids[0] });
    for (const id of ids.slice(0, 50)) await many.call('channel:join', { channel: id });

    const reconnect = async (user: TestUser, what: string) => {
      user.socket.disconnect();
      // Its tab goes first; what presence does about it is not part of the reconnect.
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The joins changed the listing: instance a reads it once, as its first client after them would.
      await listing(a);
      let joined: string[] = [];
      const cost = await measure(what, async () => {
        const socket = await connected(socketTo(a.url, user.session.token));
        sockets.push(socket);
        joined = (await new TestUser(user.session, socket).call('session:get')).joined;
      });
      return { cost, joined };
    };
    // Once first, so that no script is counted twice for being sent in full the first time.
    await reconnect(few, 'reconnect + session:get, 1 joined, scripts not loaded yet');
    const one = await reconnect(few, 'reconnect + session:get, 1 joined');
    const fifty = await reconnect(many, 'reconnect + session:get, 50 joined');
    expect([one.joined.length, fifty.joined.length]).toEqual([1, 50]);
    expect(fifty.cost.shape).toEqual(one.cost.shape);
    // The token, the rooms to join, the channels and last channel, the listing.
    expect(fifty.cost.topLevel).toBeLessThanOrEqual(4);
    // The unread counts: the read positions and every joined channel's history, in two commands.
    expect(fifty.cost.parts.messages.topLevel).toBe(one.cost.parts.messages.topLevel);
    expect(fifty.cost.parts.messages.topLevel).toBeLessThanOrEqual(2);
  });
});
