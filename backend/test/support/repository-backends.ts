import { afterAll } from '@jest/globals';
import { RedisStore } from '../../src/redis/redis-store.js';
import { RedisServer } from '../scale-out/support/redis-server.js';

export type Backend = 'memory' | 'redis';

/**
 * The backends a repository contract (`src/<feature>/<feature>.repository.contract.ts`) runs
 * against, with `describe.each(BACKENDS)`: in memory under `npm test`, which needs no Redis; in
 * memory and on a real redis-server under `npm run test:redis` (FLACK_TEST_REDIS=1).
 */
export const BACKENDS: readonly Backend[] =
  process.env['FLACK_TEST_REDIS'] === '1' ? ['memory', 'redis'] : ['memory'];

/** One redis-server per contract file, started on first use and stopped after its last test. */
let server: Promise<RedisServer> | undefined;
afterAll(async () => {
  await (await server)?.destroy();
  server = undefined;
});

/** For 'redis': a store on an emptied database; for 'memory': null. Close it with `closeStore`. */
export async function openStore(backend: Backend): Promise<RedisStore | null> {
  if (backend === 'memory') return null;
  server ??= RedisServer.start();
  const store = await RedisStore.connect((await server).url);
  await store.client.flushdb();
  return store;
}

export async function closeStore(store: RedisStore | null): Promise<void> {
  await store?.onApplicationShutdown();
}

/** Every key in the store with its contents, for tests that look for what a release left behind. */
export async function dumpKeys(store: RedisStore): Promise<Map<string, string>> {
  const dump = new Map<string, string>();
  for (const key of await store.client.keys('*')) {
    const type = await store.client.type(key);
    const read: Record<string, () => Promise<unknown>> = {
      string: () => store.client.get(key),
      hash: () => store.client.hgetall(key),
      set: () => store.client.smembers(key),
      zset: () => store.client.zrange(key, '0', '-1', 'WITHSCORES'),
      list: () => store.client.lrange(key, 0, -1),
      stream: () => store.client.xrange(key, '-', '+'),
    };
    dump.set(key, JSON.stringify(await (read[type]?.() ?? Promise.resolve(type))));
  }
  return dump;
}

/**
 * What mentions any of `needles` in the store: keys named after it or holding it anywhere in their
 * contents, as `key contents` lines. Nothing for the in-memory backend (its specs ask the
 * repository instead).
 */
export async function traces(store: RedisStore | null, ...needles: string[]): Promise<string[]> {
  if (!store) return [];
  return [...(await dumpKeys(store))]
    .filter(([key, contents]) => needles.some((needle) => key.includes(needle) || contents.includes(needle)))
    .map(([key, contents]) => `${key} ${contents}`);
}
