import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@flack/contract';
import { BACKENDS, closeStore, openStore, traces } from '../../test/support/repository-backends.js';
import { RedisStore } from '../redis/redis-store.js';
import { InMemoryPresenceRepository } from './in-memory-presence.repository.js';
import type { PresenceRepository, PresenceUpdate } from './presence.repository.js';
import { RedisPresenceRepository } from './redis-presence.repository.js';

/** Times are passed explicitly; this one is only a readable origin. */
const T = 1_000_000;
const ada: User = { id: 'id-ada', name: 'Ada' };
const bob: User = { id: 'id-bob', name: 'Bob' };
const cy: User = { id: 'id-cy', name: 'Cy' };

/** The updates without their numbers, which only have to grow. */
const changes = (updates: PresenceUpdate[]) => updates.map(({ user, online }) => ({ user, online }));
const byId = (users: User[]) => [...users].sort((a, b) => (a.id < b.id ? -1 : 1));

describe.each(BACKENDS)('PresenceRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let presence: PresenceRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    presence = store ? new RedisPresenceRepository(store) : new InMemoryPresenceRepository();
  });
  afterEach(() => closeStore(store));

  describe('claim and release', () => {
    it('answers the change on the first claim and the last release only', async () => {
      expect(await presence.claim(ada)).toMatchObject({ user: ada, online: true });
      expect(await presence.claim(ada)).toBeNull();
      expect(byId((await presence.snapshot()).users)).toEqual([ada]);
      expect(await presence.release(ada.id)).toMatchObject({ user: ada, online: false });
      expect(await presence.release(ada.id)).toBeNull();
      expect((await presence.snapshot()).users).toEqual([]);
    });

    it('numbers every update in order, and the snapshot says up to which it holds', async () => {
      const updates = [await presence.claim(ada), await presence.claim(bob), await presence.release(ada.id)];
      const seqs = updates.map((update) => update!.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(3);
      expect(await presence.snapshot()).toEqual({ users: [bob], seq: seqs[2] });
    });

    it('says on every beat the number of the latest update, so that a missed one shows', async () => {
      expect((await presence.beat(T, T + 100)).seq).toBe((await presence.snapshot()).seq);
      const { seq } = (await presence.claim(ada))!;
      expect((await presence.beat(T, T + 100)).seq).toBe(seq);
      await presence.claim(ada);
      expect((await presence.beat(T, T + 100)).seq).toBe(seq);
    });

    it('keeps only the id and the name of a user, and nothing of them once offline', async () => {
      await presence.claim({ ...ada, tokenHash: 'secret-hash' } as User);
      expect((await presence.snapshot()).users).toEqual([ada]);
      expect(await traces(store, 'secret-hash')).toEqual([]);
      await presence.release(ada.id);
      expect(await traces(store, ada.id)).toEqual([]);
    });

    it('answers nothing for releasing someone never claimed', async () => {
      expect(await presence.release('id-nobody')).toBeNull();
      expect(await traces(store, 'id-nobody')).toEqual([]);
    });
  });

  describe('restate', () => {
    it('claims exactly the listed users, answering only what changed', async () => {
      await presence.restate([ada, bob], T + 100);
      expect(changes(await presence.restate([bob, cy], T + 100))).toEqual([
        { user: ada, online: false },
        { user: cy, online: true },
      ]);
      expect(byId((await presence.snapshot()).users)).toEqual([bob, cy]);
      expect(await presence.restate([bob, cy], T + 100)).toEqual([]);
    });

    it('takes thousands of users at once', async () => {
      const crowd = Array.from({ length: 5_000 }, (_, i) => ({
        id: `id-${String(i).padStart(5, '0')}`,
        name: `P${i}`,
      }));
      expect(await presence.restate(crowd, T + 100)).toHaveLength(5_000);
      expect(byId((await presence.snapshot()).users)).toEqual(crowd);
      expect(await presence.restate([], T + 100)).toHaveLength(5_000);
      expect(await traces(store, 'id-0')).toEqual([]);
    });
  });

  describe('remove', () => {
    it('takes the user off at once, answering the change, and leaves nothing keyed by them', async () => {
      await presence.claim(ada);
      await presence.claim(bob);
      expect(await presence.remove(ada.id)).toMatchObject({ user: ada, online: false });
      expect((await presence.snapshot()).users).toEqual([bob]);
      expect(await traces(store, ada.id)).toEqual([]);
      // The tab that was still open here closes later: nothing more to say.
      expect(await presence.release(ada.id)).toBeNull();
    });

    it('is harmless for someone who is not online', async () => {
      await presence.claim(bob);
      expect(await presence.remove(ada.id)).toBeNull();
      expect((await presence.snapshot()).users).toEqual([bob]);
      expect(await traces(store, ada.id)).toEqual([]);
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
      await presence.restate([], T + 100);
      await other.restate([], T + 100);
    });
    afterEach(() => closeStore(second));

    it('counts a user claimed by two instances online once, until both let go', async () => {
      expect(await presence.claim(ada)).not.toBeNull();
      expect(await other.claim(ada)).toBeNull();
      expect(await presence.release(ada.id)).toBeNull();
      expect((await other.snapshot()).users).toEqual([ada]);
      expect(await other.release(ada.id)).toMatchObject({ user: ada, online: false });
      expect(await traces(store, ada.id)).toEqual([]);
    });

    it('knows an instance until it stops beating, and lists it as dead once its time ran out', async () => {
      expect(await presence.beat(T, T + 100)).toMatchObject({ known: true, dead: [] });
      await other.beat(T, T + 10);
      expect(await presence.beat(T + 10, T + 100)).toMatchObject({ known: true, dead: [second.instanceId] });
    });

    it('lets whoever asks first take a dead instance over: its users go offline, unless claimed elsewhere', async () => {
      await other.restate([ada, bob], T + 10);
      await presence.claim(bob);
      expect(changes(await presence.reap(second.instanceId, T + 10))).toEqual([{ user: ada, online: false }]);
      expect(await presence.reap(second.instanceId, T + 10)).toEqual([]);
      expect((await presence.snapshot()).users).toEqual([bob]);
      expect((await presence.beat(T + 10, T + 100)).dead).toEqual([]);
      expect(await traces(store, ada.id)).toEqual([]);
      // It was only paused: it hears it was taken for dead, and restates.
      expect((await other.beat(T + 20, T + 100)).known).toBe(false);
      expect(changes(await other.restate([ada, bob], T + 100))).toEqual([{ user: ada, online: true }]);
    });

    it('takes over nothing of an instance that beat again in time', async () => {
      await other.restate([ada], T + 10);
      await other.beat(T + 5, T + 100);
      expect(await presence.reap(second.instanceId, T + 10)).toEqual([]);
      expect((await presence.snapshot()).users).toEqual([ada]);
    });

    it('lists an instance that left as dead at once', async () => {
      await other.restate([ada], T + 100);
      await other.leave();
      expect((await presence.beat(T, T + 100)).dead).toEqual([second.instanceId]);
      expect(changes(await presence.reap(second.instanceId, T))).toEqual([{ user: ada, online: false }]);
    });

    it('removes every instance’s claim on a released user', async () => {
      await presence.claim(ada);
      await other.claim(ada);
      await other.claim(bob);
      expect(await presence.remove(ada.id)).toMatchObject({ user: ada, online: false });
      expect((await other.snapshot()).users).toEqual([bob]);
      expect(await traces(store, ada.id)).toEqual([]);
      expect(await other.release(ada.id)).toBeNull();
    });
  });
});
