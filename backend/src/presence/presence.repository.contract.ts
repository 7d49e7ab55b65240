import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@flack/contract';
import { BACKENDS, closeStore, openStore, traces } from '../../test/support/repository-backends.js';
import { RedisStore } from '../redis/redis-store.js';
import { InMemoryPresenceRepository } from './in-memory-presence.repository.js';
import type { PresenceRepository } from './presence.repository.js';
import { RedisPresenceRepository } from './redis-presence.repository.js';

/** Times are passed explicitly; this one is only a readable origin. */
const T = 1_000_000;
const ada: User = { id: 'id-ada', name: 'Ada' };
const bob: User = { id: 'id-bob', name: 'Bob' };
const cy: User = { id: 'id-cy', name: 'Cy' };

describe.each(BACKENDS)('PresenceRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let presence: PresenceRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    presence = store ? new RedisPresenceRepository(store) : new InMemoryPresenceRepository();
  });
  afterEach(() => closeStore(store));

  describe('renew and online', () => {
    it('lists renewed users until their time runs out', async () => {
      await presence.renew([ada, bob], T + 10);
      expect(await presence.online(T)).toEqual([ada, bob]);
      expect(await presence.online(T + 9)).toEqual([ada, bob]);
      expect(await presence.online(T + 10)).toEqual([]);
    });

    it('drops those whose time ran out: asking about an earlier time does not bring them back', async () => {
      await presence.renew([ada], T + 10);
      await presence.renew([bob], T + 20);
      expect(await presence.online(T + 10)).toEqual([bob]);
      expect(await presence.online(T)).toEqual([bob]);
    });

    it('keeps the later of two times, and the latest name', async () => {
      await presence.renew([ada], T + 20);
      await presence.renew([{ ...ada, name: 'Ada L.' }], T + 10);
      expect(await presence.online(T + 15)).toEqual([{ ...ada, name: 'Ada L.' }]);
      expect(await presence.online(T + 20)).toEqual([]);
    });

    it('lists the soonest to run out first, ties by id', async () => {
      await presence.renew([cy], T + 30);
      await presence.renew([bob, ada], T + 20);
      expect(await presence.online(T)).toEqual([ada, bob, cy]);
    });

    it('keeps only the id and the name of a user', async () => {
      await presence.renew([{ ...ada, tokenHash: 'secret-hash' } as User], T + 10);
      expect(await presence.online(T)).toEqual([ada]);
      expect(await traces(store, 'secret-hash')).toEqual([]);
    });

    it('takes an empty renewal in its stride', async () => {
      await presence.renew([], T + 10);
      expect(await presence.online(T)).toEqual([]);
    });

    it('answers and drops thousands of users at once', async () => {
      const crowd = Array.from({ length: 10_000 }, (_, i) => ({
        id: `id-${String(i).padStart(5, '0')}`,
        name: `P${i}`,
      }));
      await presence.renew(crowd.slice(0, 5_000), T + 10);
      await presence.renew(crowd.slice(5_000), T + 20);
      expect(await presence.online(T)).toEqual(crowd);
      expect(await presence.online(T + 10)).toEqual(crowd.slice(5_000));
      expect(await presence.online(T + 20)).toEqual([]);
      expect(await traces(store, 'id-0')).toEqual([]);
    });
  });

  describe('expire', () => {
    it('lets a user run out at the given time', async () => {
      await presence.renew([ada], T + 10);
      await presence.expire(ada.id, T + 50);
      expect(await presence.online(T + 49)).toEqual([ada]);
      expect(await presence.online(T + 50)).toEqual([]);
    });

    it('is undone by a renewal meanwhile', async () => {
      await presence.renew([ada], T + 10);
      await presence.expire(ada.id, T + 50);
      await presence.renew([ada], T + 100);
      expect(await presence.online(T + 60)).toEqual([ada]);
    });

    it('starts the grace period now, even before a renewal would have run out', async () => {
      await presence.renew([ada], T + 100);
      await presence.expire(ada.id, T + 50);
      expect(await presence.online(T + 49)).toEqual([ada]);
      expect(await presence.online(T + 50)).toEqual([]);
    });

    it('records nothing for someone who is not online', async () => {
      await presence.renew([ada], T + 10);
      expect(await presence.online(T + 10)).toEqual([]);
      await presence.expire(ada.id, T + 50);
      await presence.expire('id-nobody', T + 50);
      expect(await presence.online(T + 20)).toEqual([]);
      expect(await traces(store, ada.id)).toEqual([]);
      expect(await traces(store, 'id-nobody')).toEqual([]);
    });
  });

  describe('remove', () => {
    it('takes the user off at once and leaves nothing keyed by them', async () => {
      await presence.renew([ada, bob], T + 10);
      await presence.expire(ada.id, T + 50);
      await presence.remove(ada.id);
      expect(await presence.online(T)).toEqual([bob]);
      expect(await traces(store, ada.id)).toEqual([]);
      await presence.expire(ada.id, T + 60);
      expect(await presence.online(T + 20)).toEqual([]);
    });

    it('is harmless for someone who is not online', async () => {
      await presence.renew([bob], T + 10);
      await presence.remove(ada.id);
      expect(await presence.online(T)).toEqual([bob]);
    });
  });
  // Only Redis is shared by several instances; in memory there is one, and these cannot arise.
  (backend === 'redis' ? describe : describe.skip)('with a second instance', () => {
    let second: RedisStore;
    let other: PresenceRepository;

    beforeEach(async () => {
      const { host, port } = (store as RedisStore).client.options;
      second = await RedisStore.connect(`redis://${host}:${port}`);
      other = new RedisPresenceRepository(second);
    });
    afterEach(() => closeStore(second));

    it('keeps a user online by one instance’s claim when another lets go', async () => {
      await presence.renew([ada], T + 100);
      await other.renew([ada], T + 100);
      await presence.expire(ada.id, T + 10);
      expect(await presence.online(T + 50)).toEqual([ada]);
      await other.expire(ada.id, T + 60);
      expect(await other.online(T + 59)).toEqual([ada]);
      expect(await other.online(T + 60)).toEqual([]);
      expect(await traces(store, ada.id)).toEqual([]);
    });

    it('lets the claims of an instance that stops renewing run out, and not the others', async () => {
      await presence.renew([ada, bob], T + 10);
      await other.renew([bob], T + 100);
      expect(await presence.online(T + 50)).toEqual([bob]);
      expect(await traces(store, ada.id)).toEqual([]);
    });

    it('removes every instance’s claim on a released user', async () => {
      await presence.renew([ada], T + 100);
      await other.renew([ada, bob], T + 100);
      await presence.remove(ada.id);
      expect(await other.online(T)).toEqual([bob]);
      expect(await traces(store, ada.id)).toEqual([]);
    });
  });
});
