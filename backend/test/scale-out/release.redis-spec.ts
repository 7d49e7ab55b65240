// Releasing a name on Redis: nothing keyed by the person is left in the shared store, whichever
// instance their tabs were on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { settle } from '../support/test-app.js';
import { leaveEveryKindOfTrace, redisKeysMentioning } from '../support/traces.js';
import { Cluster } from './support/cluster.js';
import { eventually, type FlackInstance } from './support/flack-instance.js';

describe('releasing a name on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  let a: FlackInstance;
  let b: FlackInstance;
  let redis: Redis;

  beforeAll(async () => {
    ({ a, b } = await cluster.start());
    redis = new Redis(cluster.redis.url);
  }, 60_000);

  afterAll(async () => {
    redis.disconnect();
    await cluster.stop();
  });

  it('leaves no key, hash field or set member named after the person', async () => {
    const alice = await cluster.userOn(a);
    await cluster.tabOn(b, alice.session);
    const bob = await cluster.userOn(b);
    await leaveEveryKindOfTrace(alice, bob);
    // The scenario did leave traces, so the search below can find them.
    expect((await redisKeysMentioning(redis, alice.id)).length).toBeGreaterThan(5);

    await alice.call('session:forget');
    await settle(bob);
    await eventually(
      'no trace of alice in Redis',
      async () => (await redisKeysMentioning(redis, alice.id)).length === 0,
    );
    expect(await redisKeysMentioning(redis, alice.id)).toEqual([]);
    expect((await redisKeysMentioning(redis, bob.id)).length).toBeGreaterThan(0);
  });
});
