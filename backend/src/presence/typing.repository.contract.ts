import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@flack/contract';
import { BACKENDS, closeStore, dumpKeys, openStore, traces } from '../../test/support/repository-backends.js';
import type { RedisStore } from '../redis/redis-store.js';
import { InMemoryTypingRepository } from './in-memory-typing.repository.js';
import { RedisTypingRepository, TYPING_KEYS_LINGER_MS } from './redis-typing.repository.js';
import type { TypingRepository } from './typing.repository.js';

/** Times are passed explicitly; this one is only a readable origin. */
const T = 1_000_000;
const ada: User = { id: 'id-ada', name: 'Ada' };
const bob: User = { id: 'id-bob', name: 'Bob' };
const cy: User = { id: 'id-cy', name: 'Cy' };
const [lounge, kitchen] = ['channel-lounge', 'channel-kitchen'];

/** Keys, hash fields and values, set and sorted-set members that mention `needle`. */

describe.each(BACKENDS)('TypingRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let typing: TypingRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    typing = store ? new RedisTypingRepository(store) : new InMemoryTypingRepository();
  });
  afterEach(() => closeStore(store));

  describe('start and typists', () => {
    it('is a change the first time, not while it only extends the time, and again once it ran out', async () => {
      expect(await typing.start(lounge, ada, T + 10, T)).toBe(true);
      expect(await typing.start(lounge, ada, T + 20, T + 5)).toBe(false);
      expect(await typing.start(lounge, ada, T + 40, T + 20)).toBe(true);
      expect(await typing.start(kitchen, ada, T + 40, T + 20)).toBe(true);
    });

    it('lists a typist until their time runs out, in that channel only', async () => {
      await typing.start(lounge, ada, T + 10, T);
      expect(await typing.typists(lounge, T)).toEqual([ada]);
      expect(await typing.typists(lounge, T + 9)).toEqual([ada]);
      expect(await typing.typists(lounge, T + 10)).toEqual([]);
      expect(await typing.typists(kitchen, T)).toEqual([]);
    });

    it('lists the soonest to run out first, ties by id, with the latest name', async () => {
      await typing.start(lounge, cy, T + 30, T);
      await typing.start(lounge, bob, T + 20, T);
      await typing.start(lounge, ada, T + 20, T);
      await typing.start(lounge, { ...bob, name: 'Robert' }, T + 20, T + 1);
      expect(await typing.typists(lounge, T + 2)).toEqual([ada, { ...bob, name: 'Robert' }, cy]);
    });

    it('keeps only the id and the name of a user', async () => {
      await typing.start(lounge, { ...ada, tokenHash: 'secret-hash' } as User, T + 10, T);
      expect(await typing.typists(lounge, T)).toEqual([ada]);
      expect(await traces(store, 'secret-hash')).toEqual([]);
    });

    it('keeps its record a while past the last time, then lets it go by itself', async () => {
      await typing.start(lounge, ada, T + 10, T);
      if (!store) return;
      for (const key of (await dumpKeys(store)).keys()) {
        // A little of the real clock passes between the write and this read.
        expect(await store.client.pttl(key)).toBeGreaterThan(10 + TYPING_KEYS_LINGER_MS - 5_000);
        expect(await store.client.pttl(key)).toBeLessThanOrEqual(10 + TYPING_KEYS_LINGER_MS);
      }
    });
  });

  describe('stop', () => {
    it('removes the typist and answers who still types there', async () => {
      await typing.start(lounge, ada, T + 10, T);
      await typing.start(lounge, bob, T + 10, T);
      await typing.start(kitchen, ada, T + 10, T);
      expect(await typing.stop(lounge, ada.id, T)).toEqual([bob]);
      expect(await typing.typists(lounge, T)).toEqual([bob]);
      expect(await typing.typists(kitchen, T)).toEqual([ada]);
      expect(await typing.stop(lounge, bob.id, T)).toEqual([]);
    });

    it('answers null when they were not typing there', async () => {
      await typing.start(lounge, ada, T + 10, T);
      expect(await typing.stop(lounge, bob.id, T)).toBeNull();
      expect(await typing.stop(kitchen, ada.id, T)).toBeNull();
      await typing.stop(lounge, ada.id, T);
      expect(await typing.stop(lounge, ada.id, T)).toBeNull();
    });

    it('removes a typist whose time ran out too, and answers only those still typing', async () => {
      await typing.start(lounge, ada, T + 10, T);
      await typing.start(lounge, bob, T + 100, T);
      await typing.start(lounge, cy, T + 5, T);
      expect(await typing.stop(lounge, ada.id, T + 50)).toEqual([bob]);
    });

    it('with onlyIfExpired, removes the typist only once their time ran out', async () => {
      await typing.start(lounge, ada, T + 10, T);
      expect(await typing.stop(lounge, ada.id, T + 9, true)).toBeNull();
      expect(await typing.typists(lounge, T + 9)).toEqual([ada]);
      expect(await typing.stop(lounge, ada.id, T + 10, true)).toEqual([]);
      expect(await typing.stop(lounge, ada.id, T + 10, true)).toBeNull();
    });

    it('with onlyIfExpired, does not cut a renewed time short', async () => {
      await typing.start(lounge, ada, T + 10, T);
      await typing.start(lounge, ada, T + 20, T + 5);
      // The timer set by the first start fires.
      expect(await typing.stop(lounge, ada.id, T + 10, true)).toBeNull();
      expect(await typing.typists(lounge, T + 15)).toEqual([ada]);
      expect(await typing.stop(lounge, ada.id, T + 20, true)).toEqual([]);
    });

    it('leaves nothing of a user who stopped everywhere', async () => {
      await typing.start(lounge, ada, T + 10, T);
      await typing.start(kitchen, ada, T + 10, T);
      await typing.start(lounge, bob, T + 10, T);
      await typing.stop(lounge, ada.id, T + 1);
      await typing.stop(kitchen, ada.id, T + 20, true);
      expect(await typing.typists(lounge, T + 2)).toEqual([bob]);
      expect(await typing.typists(kitchen, T + 2)).toEqual([]);
      expect(await traces(store, ada.id)).toEqual([]);
      expect(await traces(store, kitchen)).toEqual([]);
    });
  });
});
