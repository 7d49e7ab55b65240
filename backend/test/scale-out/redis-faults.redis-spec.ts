// How production Redis fails short of going away: it hangs (SIGSTOP, a long script, a saturated
// link) or it is full (`maxmemory` with `noeviction`). Every event still answers within about a
// second, in words; health says so; nothing acknowledged is lost; service comes back by itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ErrorBody } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { next, sendMessage, uniqueName, type TestUser } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { eventually, health, post, type FlackInstance } from './support/flack-instance.js';
import type { RedisServer } from './support/redis-server.js';

/** "About a second", with room for a loaded two-core CI machine. */
const ANSWER_WITHIN_MS = 2500;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

async function healthBody(instance: FlackInstance): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${instance.url}/api/health`);
  return { status: response.status, body: await response.json() };
}

describe('Redis faults short of an outage, with three instances', () => {
  const cluster = new Cluster();
  let a: FlackInstance;
  let b: FlackInstance;
  let redis: RedisServer;

  beforeAll(async () => {
    ({ a, b, redis } = await cluster.start());
  }, 60_000);

  afterAll(async () => {
    redis.thaw();
    await cluster.stop();
  });

  async function channelOf(alice: TestUser, bob: TestUser): Promise<string> {
    const { channel } = await alice.call('channel:create', { name: uniqueName('fault') });
    await bob.call('channel:join', { channel: channel.id });
    return channel.id;
  }

  it('answers every event UNAVAILABLE within about a second while Redis hangs, and health says 503', async () => {
    const alice = await cluster.userOn(a);
    const bob = await cluster.userOn(b);
    const channel = await channelOf(alice, bob);
    const before = await sendMessage(alice, { channel, text: 'before', clientId: randomUUID() });

    redis.freeze();
    const frozenAt = performance.now();
    try {
      // Each instance pings on its own clock, so each finds out within its own second.
      await eventually(
        'both to report the hang',
        async () => (await health(a.url)) === 503 && (await health(b.url)) === 503,
        ANSWER_WITHIN_MS,
      );
      expect(performance.now() - frozenAt).toBeLessThan(ANSWER_WITHIN_MS);
      expect((await healthBody(b)).body).toMatchObject({ status: 'unavailable', redis: 'hung' });

      const during = [
        () => alice.fail('message:send', { channel, text: 'during', clientId: randomUUID() }),
        () => bob.fail('channel:history', { channel }),
        () => bob.fail('channel:join', { channel }),
        () => alice.fail('session:get'),
      ];
      for (const attempt of during) {
        const { result, ms } = await timed<ErrorBody>(attempt);
        expect(result).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/try again/i) });
        expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
      }
      const { result: claimed, ms } = await timed(() =>
        post(b.url, '/api/sessions', { name: uniqueName('x') }),
      );
      expect(claimed).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE' } });
      expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
      // Hung for five seconds in all.
      await sleep(Math.max(0, 5000 - (performance.now() - frozenAt)));
    } finally {
      redis.thaw();
    }

    await eventually(
      'both to report healthy',
      async () => (await health(a.url)) === 200 && (await health(b.url)) === 200,
    );
    const atBob = next(bob.socket, 'message:new', 10_000);
    const after = await sendMessage(alice, { channel, text: 'after', clientId: randomUUID() });
    expect(await atBob).toEqual(after);
    const { messages } = await bob.call('channel:history', { channel });
    // Every acknowledged message is there, in order; the one refused may or may not have reached
    // Redis before it froze (its sender retries it with the same clientId, stored once).
    expect(messages.map((message) => message.text).filter((text) => text !== 'during')).toEqual([
      before.text,
      after.text,
    ]);
    expect(messages.map((message) => message.seq)).toEqual(messages.map((_, i) => before.seq + i));
  }, 60_000);

  it('refuses writes in words when Redis is full, keeps reading, reports "degraded", and recovers', async () => {
    const alice = await cluster.userOn(a);
    const bob = await cluster.userOn(b);
    const channel = await channelOf(alice, bob);
    const before = await sendMessage(alice, { channel, text: 'before', clientId: randomUUID() });

    await redis.command('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await redis.command('CONFIG', 'SET', 'maxmemory', 1);
    try {
      const refused = await alice.fail('message:send', { channel, text: 'full?', clientId: randomUUID() });
      expect(refused).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/full/i) });
      const claimed = await post(b.url, '/api/sessions', { name: uniqueName('full') });
      expect(claimed).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE' } });
      expect(await healthBody(a)).toEqual({
        status: 200,
        body: expect.objectContaining({ status: 'degraded', redis: 'full' }),
      });
      // Reading needs no memory: the history still opens.
      expect((await bob.call('channel:history', { channel })).messages).toEqual([before]);
    } finally {
      await redis.command('CONFIG', 'SET', 'maxmemory', 0);
    }

    const atBob = next(bob.socket, 'message:new', 10_000);
    const after = await sendMessage(alice, { channel, text: 'after', clientId: randomUUID() });
    expect(await atBob).toEqual(after);
    expect(after.seq).toBe(before.seq + 1);
  }, 60_000);
});
