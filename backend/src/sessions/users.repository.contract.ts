import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { BACKENDS, closeStore, openStore, traces } from '../../test/support/repository-backends.js';
import { testConfig } from '../../test/support/test-config.js';
import { KEY_PREFIX, RedisStore } from '../redis/redis-store.js';
import { InMemoryUsersRepository } from './in-memory-users.repository.js';
import { BEATS_PER_FULL_SYNC, RedisUsersRepository } from './redis-users.repository.js';
import type { UserRecord, UsersRepository } from './users.repository.js';

/** Times are passed explicitly; this one is only a readable origin. */
const T = 1_000_000;
const RESERVATION_MS = 3_600_000;
const config = testConfig({ NAME_RESERVATION_SECONDS: String(RESERVATION_MS / 1000) });

const repositoryOn = (store: RedisStore | null): UsersRepository =>
  store ? new RedisUsersRepository(store, config) : new InMemoryUsersRepository();

function newUser(overrides: Partial<UserRecord> = {}): UserRecord {
  const [id, tokenHash, skeleton] = [randomUUID(), randomUUID(), randomUUID()];
  return { id, name: 'Ada', nameSkeleton: `ada ${skeleton}`, tokenHash, expiresAt: T, ...overrides };
}

/** Redis out of reach while `during` runs; resolves once the connection is back. */
async function outage(store: RedisStore | null, during: () => Promise<unknown> = async () => undefined) {
  if (!store) return void (await during());
  const closed = once(store.client, 'close');
  store.client.disconnect(true);
  await closed;
  const ready = once(store.client, 'ready');
  await during();
  await ready;
}

/** Call the answer to make Redis come back from a restart with only what it holds now. */
async function snapshot(store: RedisStore | null): Promise<() => Promise<void>> {
  if (!store) return async () => undefined;
  const { client } = store;
  const saved = await Promise.all(
    (await client.keys('*')).map(async (key) => ({
      key,
      value: await client.dumpBuffer(key),
      ttl: await client.pttl(key),
    })),
  );
  return async () => {
    await client.flushdb();
    for (const { key, value, ttl } of saved) if (value) await client.restore(key, Math.max(ttl, 0), value);
    await outage(store);
  };
}

describe.each(BACKENDS)('UsersRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let users: UsersRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    users = repositoryOn(store);
  });
  afterEach(() => closeStore(store));

  async function inserted(overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
    const user = newUser(overrides);
    expect(await users.insertIfNameFree(user)).toBe(true);
    return user;
  }
  const expiresAt = async (user: UserRecord) => (await users.findById(user.id))?.expiresAt;

  describe('names', () => {
    it('holds a name skeleton for its first user only', async () => {
      const ada = await inserted();
      const rival = newUser({ nameSkeleton: ada.nameSkeleton, name: 'Аda' });
      expect(await users.insertIfNameFree(rival)).toBe(false);
      expect(await users.findByNameSkeleton(ada.nameSkeleton)).toEqual(ada);
      expect(await users.findById(rival.id)).toBeUndefined();
      expect(await users.findByTokenHash(rival.tokenHash)).toBeUndefined();
    });

    it('gives a skeleton claimed by many at once to exactly one', async () => {
      const claims = Array.from({ length: 50 }, () => newUser({ nameSkeleton: 'grace' }));
      const answers = await Promise.all(claims.map((claim) => users.insertIfNameFree(claim)));
      expect(answers.filter(Boolean)).toHaveLength(1);
      const winner = claims[answers.indexOf(true)];
      expect(await users.findByNameSkeleton('grace')).toEqual(winner);
    });

    it('frees the name when its user is removed', async () => {
      const ada = await inserted();
      await users.remove(ada.id);
      expect(await users.insertIfNameFree(newUser({ nameSkeleton: ada.nameSkeleton }))).toBe(true);
    });
  });

  describe('lookups', () => {
    it('finds a user by id, token hash and name skeleton, as inserted', async () => {
      const ada = await inserted();
      const held = await inserted({ expiresAt: null });
      for (const user of [ada, held]) {
        expect(await users.findById(user.id)).toEqual(user);
        expect(await users.findByTokenHash(user.tokenHash)).toEqual(user);
        expect(await users.findByNameSkeleton(user.nameSkeleton)).toEqual(user);
      }
    });

    it('finds many by id at once, in the order asked, skipping the unknown', async () => {
      const [ada, bob, cy] = [await inserted(), await inserted({ expiresAt: null }), await inserted()];
      expect(await users.findMany([cy.id, 'nobody', ada.id, bob.id])).toEqual([cy, ada, bob]);
      expect(await users.findMany([])).toEqual([]);
      expect(await users.findMany(['nobody'])).toEqual([]);
    });

    it('answers undefined for what it does not know, and removing it is harmless', async () => {
      await inserted();
      expect(await users.findById('nobody')).toBeUndefined();
      expect(await users.findByTokenHash('nobody')).toBeUndefined();
      expect(await users.findByNameSkeleton('nobody')).toBeUndefined();
      await users.remove('nobody');
      expect(await users.findExpired(T)).toHaveLength(1);
    });

    it('hands out copies: editing an answer changes nothing stored', async () => {
      const ada = await inserted();
      const found = await users.findById(ada.id);
      if (found) found.expiresAt = 1;
      ada.expiresAt = 2;
      expect(await expiresAt(ada)).toBe(T);
    });
  });

  describe('connections and expiry', () => {
    it('holds the name while connected and starts the reservation on disconnect', async () => {
      const ada = await inserted();
      await users.markConnected(ada.id);
      expect(await expiresAt(ada)).toBeNull();
      expect(await users.findExpired(Number.MAX_SAFE_INTEGER)).toEqual([]);
      await users.markDisconnected(ada.id, T + 5);
      expect(await expiresAt(ada)).toBe(T + 5);
      await users.markConnected(ada.id);
      expect(await expiresAt(ada)).toBeNull();
    });

    it('finds reservations that ran out at or before now, earliest first', async () => {
      const late = await inserted({ expiresAt: T + 2 });
      const early = [await inserted({ expiresAt: T + 1 }), await inserted({ expiresAt: T + 1 })];
      await inserted({ expiresAt: null });
      const ids = async (now: number) => (await users.findExpired(now)).map((user) => user.id);
      const earlyIds = early.map((user) => user.id).sort();
      expect(await ids(T)).toEqual([]);
      expect(await ids(T + 1)).toEqual(earlyIds);
      expect(await ids(T + 2)).toEqual([...earlyIds, late.id]);
      expect((await users.findExpired(T + 2))[2]).toEqual(late);
    });

    it('ignores connections of users it does not know', async () => {
      await users.markConnected('nobody');
      await users.markDisconnected('nobody', T);
      await users.heartbeat(['nobody'], T);
      expect(await users.findById('nobody')).toBeUndefined();
      expect(await users.findExpired(Number.MAX_SAFE_INTEGER)).toEqual([]);
      expect(await traces(store, 'nobody')).toEqual([]);
    });
  });

  describe('heartbeat', () => {
    it('marks the listed users connected and starts the reservations of the others it held', async () => {
      const [ada, bob, cy] = [await inserted(), await inserted(), await inserted()];
      await users.markConnected(bob.id);
      await users.heartbeat([ada.id], T + 9);
      expect(await expiresAt(ada)).toBeNull();
      expect(await expiresAt(bob)).toBe(T + 9);
      expect(await expiresAt(cy)).toBe(T);
    });

    it(`puts right, within ${BEATS_PER_FULL_SYNC} beats, what it was never told`, async () => {
      await users.heartbeat([], T);
      const [ada, bob] = [await inserted(), await inserted()];
      await users.markConnected(bob.id);
      await users.heartbeat([bob.id], T);
      // Ada's socket arrived and Bob's left without either call reaching the repository.
      for (let beat = 0; beat < BEATS_PER_FULL_SYNC; beat++) await users.heartbeat([ada.id], T + 9);
      expect(await expiresAt(ada)).toBeNull();
      expect(await expiresAt(bob)).toBe(T + 9);
    });

    it('records at the next beat the connections an outage kept from it', async () => {
      const [ada, bob] = [await inserted(), await inserted()];
      await users.heartbeat([bob.id], T);
      await outage(store, async () => {
        await users.markConnected(ada.id);
        await users.markDisconnected(bob.id, T + 9);
      });
      await users.heartbeat([ada.id], T + 9);
      expect(await expiresAt(ada)).toBeNull();
      expect(await expiresAt(bob)).toBe(T + 9);
    });

    it('repairs at the next beat what a store restarted from older data lost', async () => {
      const [ada, bob] = [await inserted(), await inserted()];
      await users.heartbeat([bob.id], T);
      const restart = await snapshot(store);
      await users.markConnected(ada.id);
      await users.markDisconnected(bob.id, T + 9);
      await restart();
      await users.heartbeat([ada.id], T + 9);
      expect(await expiresAt(ada)).toBeNull();
      expect(await expiresAt(bob)).toBe(T + 9);
    });
  });

  describe('remove', () => {
    it('leaves nothing keyed by the user', async () => {
      const [ada, bob] = [await inserted(), await inserted({ expiresAt: T + 1 })];
      await users.heartbeat([ada.id, bob.id], T);
      await users.markDisconnected(bob.id, T + 1);
      await users.remove(ada.id);
      await users.heartbeat([ada.id], T);
      expect(await users.findById(ada.id)).toBeUndefined();
      expect(await users.findByTokenHash(ada.tokenHash)).toBeUndefined();
      expect(await users.findByNameSkeleton(ada.nameSkeleton)).toBeUndefined();
      expect(await users.findExpired(Number.MAX_SAFE_INTEGER)).toEqual([{ ...bob, expiresAt: T + 1 }]);
      expect(await traces(store, ada.id, ada.tokenHash, ada.nameSkeleton)).toEqual([]);
      expect(await users.insertIfNameFree({ ...newUser(), tokenHash: ada.tokenHash })).toBe(true);
    });
  });

  // Only Redis is shared by several instances; in memory there is one, and these cannot arise.
  (backend === 'redis' ? describe : describe.skip)('with a second instance', () => {
    let second: RedisStore;
    let other: UsersRepository;

    beforeEach(async () => {
      const { host, port } = (store as RedisStore).client.options;
      second = await RedisStore.connect(`redis://${host}:${port}`);
      other = repositoryOn(second);
    });
    afterEach(async () => {
      if (second.available) await closeStore(second);
    });

    it('keeps a user connected on two instances until both let go', async () => {
      const ada = await inserted();
      await users.markConnected(ada.id);
      await other.markConnected(ada.id);
      await users.markDisconnected(ada.id, T + 1);
      expect(await expiresAt(ada)).toBeNull();
      await other.markDisconnected(ada.id, T + 2);
      expect(await expiresAt(ada)).toBe(T + 2);
    });

    it('starts the reservations of an instance that stopped beating, once its time is up', async () => {
      const [ada, bob] = [await inserted(), await inserted()];
      await other.markConnected(ada.id);
      await users.markConnected(bob.id);
      await other.markConnected(bob.id);
      await users.heartbeat([bob.id], T + 9);
      expect(await expiresAt(ada)).toBeNull();
      // Its heartbeat stopped: the alive key runs out (here at once, rather than INSTANCE_TTL_MS later).
      await store!.client.del(`${KEY_PREFIX}instance:${second.instanceId}:alive`);
      await users.heartbeat([bob.id], T + 9);
      expect(await expiresAt(ada)).toBe(T + 9);
      expect(await expiresAt(bob)).toBeNull();
      expect((await users.findExpired(T + 9)).map((user) => user.id)).toEqual([ada.id]);
      expect(await traces(store, second.instanceId)).toEqual([]);
    });

    it('takes its users back when it beats again after being taken for dead', async () => {
      const ada = await inserted();
      await other.heartbeat([ada.id], T);
      await store!.client.del(`${KEY_PREFIX}instance:${second.instanceId}:alive`);
      await users.heartbeat([], T + 9);
      expect(await expiresAt(ada)).toBe(T + 9);
      await other.heartbeat([ada.id], T + 9);
      expect(await expiresAt(ada)).toBeNull();
    });

    it('lets go of its users when it shuts down', async () => {
      const ada = await inserted();
      await other.markConnected(ada.id);
      const before = Date.now();
      await closeStore(second);
      expect(await expiresAt(ada)).toBeGreaterThanOrEqual(before + RESERVATION_MS);
      expect(await traces(store, second.instanceId)).toEqual([]);
    });

    it('remove leaves nothing on either instance', async () => {
      const ada = await inserted();
      await users.heartbeat([ada.id], T);
      await other.heartbeat([ada.id], T);
      await users.remove(ada.id);
      expect(await traces(store, ada.id, ada.tokenHash, ada.nameSkeleton)).toEqual([]);
    });
  });
});
