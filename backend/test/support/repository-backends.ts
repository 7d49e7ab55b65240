import { afterAll } from '@jest/globals';
import type { Cluster } from 'ioredis';
import { RedisStore } from '../../src/redis/redis-store.js';
import { RedisClusterServer } from '../scale-out/support/redis-cluster-server.js';
import { RedisServer } from '../scale-out/support/redis-server.js';

export type Backend = 'memory' | 'redis' | 'cluster';

/**
 * The backends a repository contract (`src/<feature>/<feature>.repository.contract.ts`) runs
 * against, with `describe.each(BACKENDS)`: in memory under `npm test`, which needs no Redis; in
 * memory, on a real redis-server and on a real 3-master Redis Cluster under `npm run test:redis`
 * (FLACK_TEST_REDIS=1). On the cluster, a script that touches keys of two slots fails
 * ("Script attempted to access keys that do not hash to the same slot").
 */
export const BACKENDS: readonly Backend[] =
  process.env['FLACK_TEST_REDIS'] === '1' ? ['memory', 'redis', 'cluster'] : ['memory'];

/** One redis-server and one cluster per contract file, started on first use and stopped after its last test. */
let server: Promise<RedisServer> | undefined;
let cluster: Promise<RedisClusterServer> | undefined;
afterAll(async () => {
  await (await server)?.destroy();
  await (await cluster)?.destroy();
  server = cluster = undefined;
});

/**
 * For 'redis' and 'cluster': a store on an emptied database; for 'memory': null. Close it with
 * `closeStore`.
 */
export async function openStore(backend: Backend): Promise<RedisStore | null> {
  if (backend === 'memory') return null;
  if (backend === 'cluster') return openClusterStore();
  server ??= RedisServer.start();
  const store = await RedisStore.connect((await server).url);
  await store.client.flushdb();
  return store;
}

/**
 * A store on the cluster. A Cluster sends a command without a key (KEYS, FLUSHDB) to any one
 * master; the specs mean the whole store, so here those two ask every master, as one node would.
 */
async function openClusterStore(): Promise<RedisStore> {
  cluster ??= RedisClusterServer.start();
  const { ports } = await cluster;
  const store = await RedisStore.connect({
    clusterNodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    auth: { tls: false },
  });
  const client = store.client as unknown as Cluster;
  const masters = () => client.nodes('master');
  Object.assign(client, {
    keys: async (pattern: string) => (await Promise.all(masters().map((node) => node.keys(pattern)))).flat(),
    flushdb: async () => {
      await Promise.all(masters().map((node) => node.flushdb()));
      return 'OK';
    },
  });
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
