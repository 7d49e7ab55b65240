// What presence costs Redis, counted command by command with Redis's own MONITOR: while nobody
// comes or goes, each instance's heartbeat is one script that says it is alive and finds the dead,
// whatever the number of people; one person coming online or going offline is one script where
// it happened and one publish through the adapter, whatever the number of people.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PresenceChange } from '@flack/contract';
import { KEY_PREFIX } from '../../src/redis/redis-store.js';
import { HEARTBEAT_MS } from '../../src/sessions/connections.service.js';
import { collect, uniqueName, type TestUser } from '../support/test-app.js';
import { Cluster, PRESENCE_GRACE_MS } from './support/cluster.js';
import { CommandCounter, type CommandCount, type SeenCommand } from './support/command-counter.js';
import { claim, eventually, type FlackInstance } from './support/flack-instance.js';

const PRESENCE = `${KEY_PREFIX}presence:`;
const INSTANCES_KEY = `${PRESENCE}instances`;
const SEQ_KEY = `${PRESENCE}seq`;

/** A command that touches presence's keys: a script declaring one, or a command inside it. */
const touchesPresence = ({ args }: SeenCommand) => args.some((arg) => arg.startsWith(PRESENCE));
/**
 * The heartbeat: a script of the instances and seq keys alone, that renews this instance, finds the
 * dead and reads the latest seq.
 */
const isBeat = ({ name, args }: SeenCommand) =>
  name === 'EVALSHA' || name === 'EVAL'
    ? args[1] === '2' && args[2] === INSTANCES_KEY && args[3] === SEQ_KEY
    : (['ZADD', 'ZRANGEBYSCORE'].includes(name) && args[0] === INSTANCES_KEY) ||
      (name === 'GET' && args[0] === SEQ_KEY);

function presenceWork({ topLevel, inScripts }: CommandCount) {
  const mine = (commands: SeenCommand[]) => commands.filter(touchesPresence);
  const beats = mine(topLevel).filter(isBeat).length;
  return {
    beats,
    beatCommandsInScripts: mine(inScripts).filter(isBeat).length,
    /** Everything else presence did: a change, a full read. */
    other: [...mine(topLevel), ...mine(inScripts)].filter((command) => !isBeat(command)),
    /** What the instances told each other of presence through the adapter (a PUBLISH). */
    published: topLevel.filter(
      ({ name, args }) => ['PUBLISH', 'XADD'].includes(name) && args.join(' ').includes('presence:updates'),
    ).length,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('presence cost on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  let instances: FlackInstance[];
  let counter: CommandCounter;
  const people: TestUser[] = [];
  let seenByWatcher: PresenceChange[][];

  beforeAll(async () => {
    const { a, b, c } = await cluster.start();
    instances = [a, b, c];
    counter = await CommandCounter.start(cluster.redis.url);
  }, 60_000);

  afterAll(async () => {
    await counter?.stop();
    await cluster.stop();
  });

  /** Connects people (spread over the instances) until there are `count`, and lets it settle. */
  async function crowdOf(count: number): Promise<void> {
    while (people.length < count) {
      const person = await cluster.userOn(instances[people.length % instances.length]);
      // As the app does: it asks for the online list, so it hears what changes in it.
      await person.call('session:get');
      people.push(person);
    }
    seenByWatcher ??= collect(people[0].socket, 'presence:changed');
    const watcher = people[0];
    await eventually('everyone to be online for everyone', async () => {
      const { online } = await watcher.call('session:get');
      return people.every((person) => online.some((user) => user.id === person.id));
    });
  }

  /** The Redis work of a few idle heartbeats of every instance. */
  async function idleBeats() {
    return presenceWork(await counter.during(() => sleep(3 * HEARTBEAT_MS + 500)));
  }

  it.each([2, 50])(
    'costs one script of three commands per instance and heartbeat while nobody changes, with %i people',
    async (count) => {
      await crowdOf(count);
      const idle = await idleBeats();
      // Three instances, three heartbeats or so each: not a timed count, just enough beats to see.
      expect(idle.beats).toBeGreaterThanOrEqual(3);
      expect(idle.beatCommandsInScripts).toBe(3 * idle.beats);
      // No full read, no renewal per person: nothing else at all.
      expect(idle.other).toEqual([]);
    },
    30_000,
  );

  it('costs one script and one publish for someone coming online, and for going offline, with 50 people', async () => {
    await crowdOf(50);
    const target = instances[1];
    const session = await claim(target.url, uniqueName('newcomer'));
    const seen = (online: boolean) =>
      seenByWatcher.flat().some((change) => change.user.id === session.user.id && change.online === online);

    // Redis learns each script once (a first EVALSHA answers NOSCRIPT, then EVAL): not counted here.
    const warmUp = await cluster.userOn(target);
    warmUp.socket.disconnect();
    await eventually('the warm-up to go offline', async () =>
      seenByWatcher.flat().some((change) => change.user.id === warmUp.id && !change.online),
    );

    const deliveries = people.map((person) => collect(person.socket, 'presence:changed'));
    let newcomer!: TestUser;
    const arrival = presenceWork(
      await counter.during(async () => {
        newcomer = await cluster.tabOn(target, session);
        await eventually('the newcomer to show as online', async () => seen(true));
      }),
    );
    expect(arrival.other.map(({ name }) => name)).toEqual(['EVALSHA', 'SADD', 'HINCRBY', 'HSET', 'INCR']);
    expect(arrival.published).toBe(1);

    const departure = presenceWork(
      await counter.during(async () => {
        newcomer.socket.disconnect();
        await eventually('the newcomer to go offline', async () => seen(false), PRESENCE_GRACE_MS + 10_000);
      }),
    );
    expect(departure.other.map(({ name }) => name)).toEqual([
      'EVALSHA',
      'SREM',
      'HINCRBY',
      'HDEL',
      'HGET',
      'HDEL',
      'INCR',
    ]);
    expect(departure.published).toBe(1);

    // Everyone watches (the Online list is in every sidebar): each of the 50 hears each change once.
    await eventually('every watcher to hear both changes', async () =>
      deliveries.every(
        (frames) => frames.flat().filter((change) => change.user.id === session.user.id).length === 2,
      ),
    );
    for (const frames of deliveries)
      expect(frames.flat().filter((change) => change.user.id === session.user.id)).toEqual([
        { user: session.user, online: true },
        { user: session.user, online: false },
      ]);
  }, 60_000);

  // Last: it kills an instance.
  it('takes a dead instance over once: one script does the work, each of its people goes offline once', async () => {
    await crowdOf(50);
    const c = instances[2];
    const onC = people.filter((_, i) => i % instances.length === 2);
    const watcherOnA = people.find((_, i) => i % instances.length === 0)!;
    const seenAtA = collect(watcherOnA.socket, 'presence:changed');
    const offlineAtA = () => seenAtA.flat().filter((change) => !change.online);

    const takeover = await counter.during(async () => {
      await c.kill();
      await eventually(
        'c’s people to go offline at a',
        async () => offlineAtA().length >= onC.length,
        30_000,
      );
    });
    const work = presenceWork(takeover);
    // Every live instance may try; the one that finds it first removes it from the set.
    expect(work.other.filter(({ name, args }) => name === 'ZREM' && args[0] === INSTANCES_KEY)).toHaveLength(
      1,
    );
    expect(work.other.filter(({ name }) => name === 'EVALSHA').length).toBeLessThanOrEqual(2);
    expect(work.other.filter(({ name }) => name === 'SMEMBERS')).toHaveLength(1);
    expect(work.published).toBe(1);
    expect(
      offlineAtA()
        .map(({ user }) => user.id)
        .sort(),
    ).toEqual(onC.map((person) => person.id).sort());
  }, 60_000);
});
