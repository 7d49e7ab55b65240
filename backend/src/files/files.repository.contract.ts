import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { FileInfo } from '@flack/contract';
import { BACKENDS, closeStore, dumpKeys, openStore, traces } from '../../test/support/repository-backends.js';
import type { RedisStore } from '../redis/redis-store.js';
import { FilesRepository, type FileBytes, type FileRecord, type Quotas } from './files.repository.js';
import { InMemoryFilesRepository } from './in-memory-files.repository.js';
import { FILE_CHUNK_BYTES, RedisFilesRepository } from './redis-files.repository.js';

const T = 1_000_000;
const QUOTAS: Quotas = { perUser: 1000, total: 1500 };
const [ada, bob] = ['user-ada', 'user-bob'];
const [lounge, kitchen] = ['channel-lounge', 'channel-kitchen'];

let counter = 0;
function fileOf(owner: string, bytes: number, extra: Partial<FileRecord> = {}): FileRecord {
  const id = `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
  const info: FileInfo = { id, name: `notes ${counter}.txt`, type: 'application/octet-stream', size: bytes };
  return { info, owner, bytes, expiresAt: T + 100, ...extra };
}

/** The bytes read, whole, after checking they add up to the length announced. */
async function whole(bytes: FileBytes | undefined): Promise<Buffer> {
  if (!bytes) throw new Error('no bytes');
  const pieces: Buffer[] = [];
  for await (const piece of bytes.pieces) pieces.push(piece);
  const all = Buffer.concat(pieces);
  expect(all.length).toBe(bytes.length);
  return all;
}

describe.each(BACKENDS)('FilesRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let files: FilesRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    files = store ? new RedisFilesRepository(store) : new InMemoryFilesRepository();
  });
  afterEach(() => closeStore(store));

  /** Reserves and saves, as an upload does. */
  async function stored(record: FileRecord, content = Buffer.alloc(record.bytes, 7), thumbnail?: Buffer) {
    expect(await files.reserve(record.owner, record.bytes, QUOTAS)).toBeNull();
    await files.save(record, content, thumbnail);
    return record;
  }

  describe('reserve and release', () => {
    it('reserves up to each quota exactly, and says which one is full', async () => {
      expect(await files.reserve(ada, 1000, QUOTAS)).toBeNull();
      expect(await files.reserve(ada, 1, QUOTAS)).toBe('user');
      expect(await files.reserve(bob, 500, QUOTAS)).toBeNull();
      expect(await files.reserve(bob, 1, QUOTAS)).toBe('total');
      expect(await files.usage(ada)).toEqual({ user: 1000, total: 1500 });
      await files.release(ada, 400);
      expect(await files.usage(ada)).toEqual({ user: 600, total: 1100 });
      expect(await files.reserve(bob, 400, QUOTAS)).toBeNull();
      expect(await files.usage(bob)).toEqual({ user: 900, total: 1500 });
    });

    it('never lets racing reservations pass a quota together', async () => {
      const answers = await Promise.all(Array.from({ length: 30 }, () => files.reserve(ada, 100, QUOTAS)));
      expect(answers.filter((answer) => answer === null)).toHaveLength(10);
      expect(await files.usage(ada)).toEqual({ user: 1000, total: 1000 });
    });

    it('leaves no counter behind once everything is released', async () => {
      await files.reserve(ada, 300, QUOTAS);
      await files.release(ada, 300);
      expect(await files.usage(ada)).toEqual({ user: 0, total: 0 });
      if (store) expect([...(await dumpKeys(store)).keys()]).toEqual([]);
    });
  });

  describe('save, find and read', () => {
    it('gives back the record and the exact bytes, thumbnail apart', async () => {
      const content = Buffer.from([0, 1, 2, 255, 0, 13, 10]);
      const thumbnail = Buffer.from([9, 8, 7]);
      const record = await stored(fileOf(ada, content.length), content, thumbnail);
      expect(await files.find(record.info.id)).toEqual(record);
      expect(await whole(await files.read(record.info.id, 'content'))).toEqual(content);
      expect(await whole(await files.read(record.info.id, 'thumbnail'))).toEqual(thumbnail);
    });

    it('has no thumbnail when none was saved, and nothing for an unknown id', async () => {
      const record = await stored(fileOf(ada, 10));
      expect(await files.read(record.info.id, 'thumbnail')).toBeUndefined();
      expect(await files.find('no-such-id')).toBeUndefined();
      expect(await files.read('no-such-id', 'content')).toBeUndefined();
    });

    it('keeps a file larger than one stored piece whole and in order', async () => {
      const size = FILE_CHUNK_BYTES * 2 + 12345;
      const content = Buffer.alloc(size);
      for (let i = 0; i < size; i++) content[i] = (i * 31) % 251;
      const record = fileOf(ada, size);
      expect(await files.reserve(ada, size, { perUser: size, total: size })).toBeNull();
      await files.save(record, content);
      expect((await whole(await files.read(record.info.id, 'content'))).equals(content)).toBe(true);
    });
    it('gives the whole file or fails, never part of it, when the file goes while it is read', async () => {
      const size = FILE_CHUNK_BYTES * 2;
      const content = Buffer.alloc(size, 3);
      const record = fileOf(ada, size);
      expect(await files.reserve(ada, size, { perUser: size, total: size })).toBeNull();
      await files.save(record, content);
      const bytes = await files.read(record.info.id, 'content');
      await files.remove([record.info.id]);
      const outcome = await whole(bytes).then(
        (read) => (read.equals(content) ? 'whole' : 'part'),
        () => 'failed',
      );
      expect(['whole', 'failed']).toContain(outcome);
    });
  });

  describe('claim and attach', () => {
    it("claims the owner's unattached files for one message, and again for its retry", async () => {
      const [one, two] = [await stored(fileOf(ada, 10)), await stored(fileOf(ada, 20))];
      const ids = [one.info.id, two.info.id];
      const claimed = await files.claim(ada, ids, lounge, 'client-1', T + 500);
      expect(claimed).toEqual({
        files: [
          { ...one, channel: lounge, clientId: 'client-1', expiresAt: T + 500 },
          { ...two, channel: lounge, clientId: 'client-1', expiresAt: T + 500 },
        ],
      });
      expect('files' in (await files.claim(ada, ids, lounge, 'client-1', T + 600))).toBe(true);
    });

    it("claims all or none: someone else's file, an unknown one or one of another message stops it", async () => {
      const mine = await stored(fileOf(ada, 10));
      const theirs = await stored(fileOf(bob, 10));
      expect(await files.claim(ada, [mine.info.id, theirs.info.id], lounge, 'c1', T)).toEqual({
        problem: { id: theirs.info.id, reason: 'unknown' },
      });
      expect(await files.claim(ada, [mine.info.id, 'no-such-id'], lounge, 'c1', T)).toEqual({
        problem: { id: 'no-such-id', reason: 'unknown' },
      });
      expect((await files.find(mine.info.id))?.channel).toBeUndefined();
      await files.claim(ada, [mine.info.id], lounge, 'c1', T);
      expect(await files.claim(ada, [mine.info.id], lounge, 'c2', T)).toEqual({
        problem: { id: mine.info.id, reason: 'attached' },
      });
      expect(await files.claim(ada, [mine.info.id], kitchen, 'c1', T)).toEqual({
        problem: { id: mine.info.id, reason: 'attached' },
      });
    });

    it('attaches claimed files to the stored message: they stop expiring and are found by its seq', async () => {
      const [one, two] = [await stored(fileOf(ada, 10)), await stored(fileOf(ada, 10))];
      await files.claim(ada, [one.info.id, two.info.id], lounge, 'c1', T + 50);
      expect((await files.expired(T + 60)).sort()).toEqual([one.info.id, two.info.id].sort());
      await files.attach(lounge, [one.info.id, two.info.id], 7);
      expect(await files.expired(T + 10_000)).toEqual([]);
      expect(await files.unattachedOf(ada)).toEqual([]);
      expect((await files.idsOfMessage(lounge, 7)).sort()).toEqual([one.info.id, two.info.id].sort());
      expect(await files.idsOfMessage(lounge, 8)).toEqual([]);
      expect(await files.find(one.info.id)).toEqual({
        ...one,
        channel: lounge,
        clientId: 'c1',
        seq: 7,
        expiresAt: undefined,
      });
    });

    it('attaches only files claimed for that channel', async () => {
      const one = await stored(fileOf(ada, 10));
      await files.claim(ada, [one.info.id], lounge, 'c1', T);
      await files.attach(kitchen, [one.info.id], 3);
      expect((await files.find(one.info.id))?.seq).toBeUndefined();
    });
  });

  describe('finding what to remove', () => {
    it("lists expired uploads, an owner's unattached ones, a channel's and those up to a seq", async () => {
      const early = await stored(fileOf(ada, 1, { expiresAt: T + 10 }));
      const late = await stored(fileOf(ada, 1, { expiresAt: T + 20 }));
      const other = await stored(fileOf(bob, 1, { expiresAt: T + 30 }));
      expect(await files.expired(T + 10)).toEqual([early.info.id]);
      expect((await files.unattachedOf(ada)).sort()).toEqual([early.info.id, late.info.id].sort());
      const [a, b, c] = [
        await stored(fileOf(ada, 1)),
        await stored(fileOf(ada, 1)),
        await stored(fileOf(ada, 1)),
      ];
      for (const [record, seq] of [
        [a, 1],
        [b, 2],
        [c, 3],
      ] as const) {
        await files.claim(ada, [record.info.id], lounge, `c${seq}`, T);
        await files.attach(lounge, [record.info.id], seq);
      }
      await files.claim(bob, [other.info.id], lounge, 'pending', T);
      expect((await files.idsUpTo(lounge, 2)).sort()).toEqual([a.info.id, b.info.id].sort());
      expect((await files.idsOfChannel(lounge)).sort()).toEqual(
        [a.info.id, b.info.id, c.info.id, other.info.id].sort(),
      );
      expect(await files.idsOfChannel(kitchen)).toEqual([]);
    });
  });

  describe('remove', () => {
    it('removes files and frees exactly their bytes, once', async () => {
      const one = await stored(fileOf(ada, 100));
      const two = await stored(fileOf(bob, 250));
      expect(await files.usage(ada)).toEqual({ user: 100, total: 350 });
      expect(await files.remove([one.info.id, 'no-such-id'])).toBe(100);
      expect(await files.remove([one.info.id])).toBe(0);
      expect(await files.usage(ada)).toEqual({ user: 0, total: 250 });
      expect(await files.find(one.info.id)).toBeUndefined();
      expect(await files.read(one.info.id, 'content')).toBeUndefined();
      expect(await files.remove([two.info.id])).toBe(250);
      expect(await files.usage(bob)).toEqual({ user: 0, total: 0 });
    });

    it('leaves nothing of an attached file behind', async () => {
      const one = await stored(fileOf(ada, 10), Buffer.alloc(10), Buffer.alloc(3));
      await files.claim(ada, [one.info.id], lounge, 'c1', T);
      await files.attach(lounge, [one.info.id], 1);
      await files.remove([one.info.id]);
      expect(await files.idsOfChannel(lounge)).toEqual([]);
      expect(await traces(store, one.info.id)).toEqual([]);
      if (store) expect([...(await dumpKeys(store)).keys()]).toEqual([]);
    });

    it("counts a forgotten owner's attached files in the total only, and leaves no counter for them", async () => {
      const one = await stored(fileOf(ada, 10));
      await files.claim(ada, [one.info.id], lounge, 'c1', T);
      await files.attach(lounge, [one.info.id], 1);
      await files.forgetOwner(ada);
      expect(await files.usage(ada)).toEqual({ user: 0, total: 10 });
      expect(await files.remove([one.info.id])).toBe(10);
      expect(await files.usage(ada)).toEqual({ user: 0, total: 0 });
      expect(await traces(store, ada)).toEqual([]);
    });
  });
});
