import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RedisStore } from '../redis/redis-store.js';
import { BACKENDS, closeStore, dumpKeys, openStore } from '../../test/support/repository-backends.js';
import { InMemoryReadStateRepository } from './in-memory-read-state.repository.js';
import { ReadStateRepository } from './read-state.repository.js';
import { RedisReadStateRepository } from './redis-read-state.repository.js';

describe.each(BACKENDS)('ReadStateRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let reads: ReadStateRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    reads = store ? new RedisReadStateRepository(store) : new InMemoryReadStateRepository();
  });
  afterEach(() => closeStore(store));

  it('knows no positions for a user who never read', async () => {
    expect(await reads.positionsOf('u-alice')).toEqual(new Map());
  });

  it('moves a position forward and answers the position now recorded', async () => {
    expect(await reads.advance('u-alice', 'general', 3)).toBe(3);
    expect(await reads.advance('u-alice', 'general', 7)).toBe(7);
    expect(await reads.positionsOf('u-alice')).toEqual(new Map([['general', 7]]));
  });

  it('never moves a position back, and answers where it stays', async () => {
    await reads.advance('u-alice', 'general', 7);
    expect(await reads.advance('u-alice', 'general', 2)).toBe(7);
    expect(await reads.advance('u-alice', 'general', 7)).toBe(7);
    expect(await reads.positionsOf('u-alice')).toEqual(new Map([['general', 7]]));
  });

  it('records nothing for a position that does not move (reading an empty channel)', async () => {
    expect(await reads.advance('u-alice', 'general', 0)).toBe(0);
    expect(await reads.positionsOf('u-alice')).toEqual(new Map());
  });

  it('keeps one position per channel and per user', async () => {
    await reads.advance('u-alice', 'general', 4);
    await reads.advance('u-alice', 'random', 9);
    await reads.advance('u-bob', 'general', 1);
    expect(await reads.positionsOf('u-alice')).toEqual(
      new Map([
        ['general', 4],
        ['random', 9],
      ]),
    );
    expect(await reads.positionsOf('u-bob')).toEqual(new Map([['general', 1]]));
  });

  it('answers a copy: changing it changes nothing stored', async () => {
    await reads.advance('u-alice', 'general', 4);
    (await reads.positionsOf('u-alice')).set('general', 99);
    expect(await reads.positionsOf('u-alice')).toEqual(new Map([['general', 4]]));
  });

  it('ends at the highest of concurrent advances, each answering at least its own seq', async () => {
    const seqs = [5, 3, 12, 8, 1, 12, 9];
    const answers = await Promise.all(seqs.map((seq) => reads.advance('u-alice', 'general', seq)));
    answers.forEach((answer, i) => expect(answer).toBeGreaterThanOrEqual(seqs[i]!));
    expect(await reads.positionsOf('u-alice')).toEqual(new Map([['general', 12]]));
  });

  it('forgets a removed user entirely, and no one else', async () => {
    await reads.advance('u-alice', 'general', 4);
    await reads.advance('u-alice', 'random', 2);
    await reads.advance('u-bob', 'general', 6);
    await reads.removeUser('u-alice');
    await reads.removeUser('u-nobody');
    expect(await reads.positionsOf('u-alice')).toEqual(new Map());
    expect(await reads.positionsOf('u-bob')).toEqual(new Map([['general', 6]]));
    if (store) {
      const keys = [...(await dumpKeys(store)).keys()];
      expect(keys.filter((key) => key.split(':').includes('u-alice'))).toEqual([]);
      expect(keys).toHaveLength(1);
    } else {
      const held = (reads as unknown as { positions: Map<string, unknown> }).positions;
      expect([...held.keys()]).toEqual(['u-bob']);
    }
  });
});
