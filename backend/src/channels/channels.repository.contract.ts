import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@flack/contract';
import type { RedisStore } from '../redis/redis-store.js';
import { BACKENDS, closeStore, dumpKeys, openStore } from '../../test/support/repository-backends.js';
import { memoryKeysMentioning, redisKeysMentioning } from '../../test/support/traces.js';
import {
  ChannelsRepository,
  type ChannelCaps,
  type ChannelListing,
  type ChannelRecord,
} from './channels.repository.js';
import { InMemoryChannelsRepository } from './in-memory-channels.repository.js';
import { RedisChannelsRepository } from './redis-channels.repository.js';

const alice: User = { id: 'u-alice', name: 'Alice' };
const bob: User = { id: 'u-bob', name: 'Bob' };

function channel(id: string, overrides: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    id,
    name: id.toUpperCase(),
    skeleton: `skeleton-${id}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: alice.id,
    messageCount: 0,
    lastMessageAt: null,
    ...overrides,
  };
}

// As ChannelsService names them: a hash of the two ids, so no key names a person.
const dmId = 'dm:0f3c9a';
const dm = channel(dmId, { name: 'Alice, Bob', skeleton: dmId, createdBy: '', dm: [alice, bob] });

const byId = (records: ChannelRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));

const roomy: ChannelCaps = { channels: 100, perUser: 100 };

/** A listing as `[id, members, messageCount]` rows, by id. */
const rows = (listing: ChannelListing) =>
  listing.channels
    .map(({ record, members }) => [record.id, members, record.messageCount] as const)
    .sort(([a], [b]) => a.localeCompare(b));

describe.each(BACKENDS)('ChannelsRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let channels: ChannelsRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    channels = store ? new RedisChannelsRepository(store) : new InMemoryChannelsRepository();
  });
  afterEach(() => closeStore(store));

  describe('insertUnlessTaken, findById, findAll', () => {
    it('inserts a new channel and finds it as it was given', async () => {
      expect(await channels.insertUnlessTaken(channel('general'))).toBeUndefined();
      const found = await channels.findById('general');
      expect(found).toEqual(channel('general'));
      expect(found && 'dm' in found).toBe(false);
      expect(await channels.findById('nowhere')).toBeUndefined();
    });

    it('refuses a taken id or skeleton and answers the channel in the way', async () => {
      await channels.insertUnlessTaken(channel('general'));
      expect(await channels.insertUnlessTaken(channel('general', { skeleton: 'other' }))).toEqual(
        channel('general'),
      );
      expect(await channels.insertUnlessTaken(channel('genera1', { skeleton: 'skeleton-general' }))).toEqual(
        channel('general'),
      );
      expect(await channels.findById('genera1')).toBeUndefined();
      expect(await channels.findAll()).toEqual([channel('general')]);
    });

    it('lets exactly one of racing inserts win, by id and by skeleton', async () => {
      const sameId = [1, 2, 3, 4].map((n) => channel('general', { name: `General ${n}`, skeleton: `s${n}` }));
      const sameSkeleton = [1, 2, 3, 4].map((n) => channel(`look-${n}`, { skeleton: 'lookalike' }));
      const answers = await Promise.all(
        [...sameId, ...sameSkeleton].map((c) => channels.insertUnlessTaken(c)),
      );
      const stored = byId(await channels.findAll());
      expect(stored).toHaveLength(2);
      expect(answers.filter((answer) => answer === undefined)).toHaveLength(2);
      for (const answer of answers.slice(0, 4)) expect(answer ?? stored[0]).toEqual(stored[0]);
      for (const answer of answers.slice(4)) expect(answer ?? stored[1]).toEqual(stored[1]);
    });

    it('answers every channel, direct conversations with their people', async () => {
      await channels.insertUnlessTaken(channel('general'));
      await channels.insertUnlessTaken(channel('random', { createdBy: bob.id }));
      await channels.insertUnlessTaken(dm);
      expect(byId(await channels.findAll())).toEqual(
        byId([channel('general'), channel('random', { createdBy: bob.id }), dm]),
      );
      expect(await channels.findById(dmId)).toEqual(dm);
    });

    it('answers copies: changing one changes nothing stored', async () => {
      await channels.insertUnlessTaken(dm);
      const found = (await channels.findById(dmId))!;
      found.name = 'changed';
      found.dm![0]!.name = 'changed';
      (await channels.findAll())[0]!.messageCount = 99;
      expect(await channels.findById(dmId)).toEqual(dm);
    });
  });

  describe('create', () => {
    it('inserts the channel with its creator as its first member', async () => {
      expect(await channels.create(channel('general'), roomy)).toEqual({ outcome: 'created' });
      expect(await channels.findById('general')).toEqual(channel('general'));
      expect(await channels.memberIds('general')).toEqual([alice.id]);
      expect(await channels.channelsOf(alice.id)).toEqual(['general']);
      expect(await channels.countCreatedBy(alice.id)).toBe(1);
    });

    it('refuses a taken id or skeleton and answers the channel in the way', async () => {
      await channels.insertUnlessTaken(channel('general', { createdBy: bob.id }));
      expect(await channels.create(channel('general', { skeleton: 'other' }), roomy)).toEqual({
        outcome: 'taken',
        channel: channel('general', { createdBy: bob.id }),
      });
      expect(await channels.create(channel('genera1', { skeleton: 'skeleton-general' }), roomy)).toEqual({
        outcome: 'taken',
        channel: channel('general', { createdBy: bob.id }),
      });
      expect(await channels.channelsOf(alice.id)).toEqual([]);
      expect(await channels.countCreatedBy(alice.id)).toBe(0);
    });

    it('holds the server cap (direct conversations not counted) before the per-user one, before the name', async () => {
      await channels.insertUnlessTaken(dm);
      await channels.create(channel('general'), roomy);
      await channels.create(channel('random', { createdBy: bob.id }), roomy);
      const caps = { channels: 2, perUser: 1 };
      expect(await channels.create(channel('general', { createdBy: bob.id }), caps)).toEqual({
        outcome: 'cap-reached',
        cap: 'channels',
      });
      await channels.removeMember('random', bob.id);
      await channels.removeIfEmpty('random');
      expect(await channels.create(channel('general'), caps)).toEqual({
        outcome: 'cap-reached',
        cap: 'perUser',
      });
      expect(await channels.create(channel('general', { createdBy: bob.id }), caps)).toMatchObject({
        outcome: 'taken',
      });
      expect(await channels.create(channel('help', { createdBy: bob.id }), caps)).toEqual({
        outcome: 'created',
      });
      expect(byId(await channels.findAll()).map((c) => c.id)).toEqual([dmId, 'general', 'help']);
    });

    it('lets no more racing creations through than the cap allows', async () => {
      const racing = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => channel(id, { createdBy: `u-${id}` }));
      const answers = await Promise.all(racing.map((c) => channels.create(c, { channels: 4, perUser: 1 })));
      expect(answers.filter((answer) => answer.outcome === 'created')).toHaveLength(4);
      expect(answers.filter((answer) => answer.outcome === 'cap-reached')).toHaveLength(2);
      expect(await channels.findAll()).toHaveLength(4);
    });
  });

  describe('listing', () => {
    it('lists every channel but direct conversations, with member counts', async () => {
      await channels.create(channel('general'), roomy);
      await channels.insertUnlessTaken(channel('random', { createdBy: bob.id }));
      await channels.insertUnlessTaken(dm);
      await channels.addMember(dmId, alice.id);
      await channels.addMember('general', bob.id);
      const listing = await channels.listing(null);
      expect(rows(listing)).toEqual([
        ['general', 2, 0],
        ['random', 0, 0],
      ]);
      expect(listing.channels.find((listed) => listed.record.id === 'random')?.record).toEqual(
        channel('random', { createdBy: bob.id }),
      );
    });

    it('counts members as memberCount does, through joins, leaves and a removed user', async () => {
      await channels.create(channel('general'), roomy);
      await channels.insertUnlessTaken(channel('random'));
      const known = await channels.listing(null);
      await channels.addMember('general', bob.id);
      await channels.addMember('random', bob.id);
      await channels.addMember('random', bob.id);
      await channels.removeMember('general', alice.id);
      await channels.removeMember('general', alice.id);
      await channels.removeUser(bob.id);
      await channels.addMember('random', alice.id);
      const listing = await channels.listing(known);
      for (const { record, members } of listing.channels) {
        expect(members).toBe(await channels.memberCount(record.id));
      }
      expect(rows(listing)).toEqual([
        ['general', 0, 0],
        ['random', 1, 0],
      ]);
    });

    it('lists more than a thousand channels with their counts', async () => {
      const ids = Array.from({ length: 1205 }, (_, i) => `c${i}`);
      await Promise.all(ids.map((id) => channels.insertUnlessTaken(channel(id))));
      const known = await channels.listing(null);
      await channels.addMember('c1204', bob.id);
      await channels.recordMessage('c1100', '2026-01-01T10:00:00.000Z');
      const listing = await channels.listing(known);
      expect(listing.channels).toHaveLength(1205);
      const row = (id: string) => rows(listing).find(([listed]) => listed === id);
      expect([row('c0'), row('c1100'), row('c1204')]).toEqual([
        ['c0', 0, 0],
        ['c1100', 0, 1],
        ['c1204', 1, 0],
      ]);
    });

    it('answers the listing it was given while nothing listed changed', async () => {
      await channels.create(channel('general'), roomy);
      const listing = await channels.listing(null);
      expect(await channels.listing(listing)).toBe(listing);
      // Nothing the listing shows: a direct conversation, its members and topic, a user's last channel.
      await channels.insertUnlessTaken(dm);
      await channels.addMember(dmId, bob.id);
      await channels.setTopic(dmId, 'Lunch');
      await channels.setLastOpened(alice.id, 'general');
      await channels.recordMessage(dmId, '2026-01-01T10:00:00.000Z');
      expect(await channels.listing(listing)).toBe(listing);
    });

    it('shows new message counts and times without changing what it was given', async () => {
      await channels.create(channel('general'), roomy);
      await channels.create(channel('random'), roomy);
      const before = await channels.listing(null);
      await channels.recordMessage('random', '2026-01-01T10:00:00.000Z');
      const after = await channels.listing(before);
      expect(rows(after)).toEqual([
        ['general', 1, 0],
        ['random', 1, 1],
      ]);
      expect(after.channels.find((listed) => listed.record.id === 'random')?.record.lastMessageAt).toBe(
        '2026-01-01T10:00:00.000Z',
      );
      expect(rows(before)).toEqual([
        ['general', 1, 0],
        ['random', 1, 0],
      ]);
      expect(await channels.listing(after)).toBe(after);
    });

    const changes: [string, (repo: ChannelsRepository) => Promise<unknown>][] = [
      ['a channel created', (repo) => repo.create(channel('help'), roomy)],
      ['a default channel inserted', (repo) => repo.insertUnlessTaken(channel('help', { createdBy: '' }))],
      ['a member joining', (repo) => repo.addMember('general', bob.id)],
      ['a member leaving', (repo) => repo.removeMember('general', alice.id)],
      ['a topic set', (repo) => repo.setTopic('general', 'Planning')],
      ['a user removed', (repo) => repo.removeUser(alice.id)],
      [
        'an empty channel removed',
        async (repo) => {
          await repo.removeMember('general', alice.id);
          await repo.removeIfEmpty('general');
        },
      ],
    ];
    it.each(changes)('is read again after %s', async (_, change) => {
      await channels.create(channel('general'), roomy);
      const before = await channels.listing(null);
      await change(channels);
      const after = await channels.listing(before);
      expect(after.version).not.toBe(before.version);
      expect(after).toEqual(await channels.listing(null));
      expect(after).not.toEqual(before);
    });

    if (backend !== 'memory') {
      it('sees the changes made through another instance', async () => {
        const elsewhere = new RedisChannelsRepository(store!);
        await channels.create(channel('general'), roomy);
        const before = await channels.listing(null);
        await elsewhere.create(channel('random', { createdBy: bob.id }), roomy);
        expect(rows(await channels.listing(before))).toEqual([
          ['general', 1, 0],
          ['random', 1, 0],
        ]);
      });

      it('starts a lost version again where no instance can hold it from before', async () => {
        await channels.create(channel('general'), roomy);
        const before = await channels.listing(null);
        await store!.client.flushdb();
        await channels.create(channel('general'), roomy);
        expect((await channels.listing(before)).version).not.toBe(before.version);
      });
    }
  });

  describe('membershipOf', () => {
    beforeEach(async () => {
      await channels.create(channel('general'), roomy);
      await channels.insertUnlessTaken(dm);
      await channels.addMember(dmId, alice.id);
      await channels.addMember(dmId, bob.id);
      await channels.insertUnlessTaken(channel('random'));
      await channels.addMember('random', alice.id);
      await channels.setLastOpened(alice.id, 'random');
    });

    it("answers the user's channels in join order and their last channel", async () => {
      expect(await channels.membershipOf(alice.id)).toEqual({
        joined: ['general', dmId, 'random'],
        lastOpened: 'random',
        dms: [],
      });
      expect(await channels.membershipOf('u-nobody', true)).toEqual({
        joined: [],
        lastOpened: null,
        dms: [],
      });
    });

    it('answers their direct conversations with their member counts when asked', async () => {
      await channels.setTopic(dmId, 'Lunch');
      expect((await channels.membershipOf(alice.id, true)).dms).toEqual([
        { record: { ...dm, topic: 'Lunch' }, members: 2 },
      ]);
      await channels.removeUser(bob.id);
      expect((await channels.membershipOf(alice.id, true)).dms).toEqual([
        { record: { ...dm, topic: 'Lunch' }, members: 1 },
      ]);
      expect(await channels.membershipOf(bob.id, true)).toEqual({ joined: [], lastOpened: null, dms: [] });
    });
  });

  it('counts the channels each user created (a direct conversation counts for no one)', async () => {
    await channels.insertUnlessTaken(channel('general'));
    await channels.insertUnlessTaken(channel('random'));
    await channels.insertUnlessTaken(channel('general', { skeleton: 'again' }));
    await channels.insertUnlessTaken(channel('bobs', { createdBy: bob.id }));
    await channels.insertUnlessTaken(dm);
    expect(await channels.countCreatedBy(alice.id)).toBe(2);
    expect(await channels.countCreatedBy(bob.id)).toBe(1);
    expect(await channels.countCreatedBy('u-nobody')).toBe(0);
  });

  describe('recordMessage', () => {
    it('counts messages and keeps the latest time, whatever order they are recorded in', async () => {
      await channels.insertUnlessTaken(channel('general'));
      await channels.recordMessage('general', '2026-01-01T10:00:02.000Z');
      await channels.recordMessage('general', '2026-01-01T10:00:01.000Z');
      await Promise.all([
        channels.recordMessage('general', '2026-01-01T10:00:03.000Z'),
        channels.recordMessage('general', '2026-01-01T09:00:00.000Z'),
      ]);
      const found = await channels.findById('general');
      expect([found?.messageCount, found?.lastMessageAt]).toEqual([4, '2026-01-01T10:00:03.000Z']);
    });

    it('ignores a channel that does not exist', async () => {
      await channels.recordMessage('nowhere', '2026-01-01T10:00:00.000Z');
      expect(await channels.findById('nowhere')).toBeUndefined();
      expect(await channels.findAll()).toEqual([]);
    });
  });

  describe('setTopic', () => {
    it('sets, replaces and removes the topic, and answers the changed channel', async () => {
      await channels.insertUnlessTaken(channel('general'));
      expect(await channels.setTopic('general', 'Planning, Thursdays')).toEqual(
        channel('general', { topic: 'Planning, Thursdays' }),
      );
      await channels.setTopic('general', 'שלום 👩‍👩‍👧‍👦');
      expect(await channels.findById('general')).toEqual(channel('general', { topic: 'שלום 👩‍👩‍👧‍👦' }));
      expect(await channels.findAll()).toEqual([channel('general', { topic: 'שלום 👩‍👩‍👧‍👦' })]);

      const cleared = await channels.setTopic('general', null);
      expect(cleared).toEqual(channel('general'));
      expect(cleared && 'topic' in cleared).toBe(false);
      expect(await channels.findById('general')).toEqual(channel('general'));
    });

    it('keeps the topic through other changes, and a direct conversation has one too', async () => {
      await channels.insertUnlessTaken(dm);
      await channels.setTopic(dmId, 'Lunch plans');
      await channels.recordMessage(dmId, '2026-01-01T10:00:00.000Z');
      await channels.addMember(dmId, alice.id);
      expect(await channels.findById(dmId)).toEqual({
        ...dm,
        topic: 'Lunch plans',
        messageCount: 1,
        lastMessageAt: '2026-01-01T10:00:00.000Z',
      });
    });

    it('lets the last of racing changes win whole', async () => {
      await channels.insertUnlessTaken(channel('general'));
      const topics = ['one', 'two', 'three', 'four'].map((word) => word.repeat(50));
      await Promise.all(topics.map((topic) => channels.setTopic('general', topic)));
      expect(topics).toContain((await channels.findById('general'))?.topic);
    });

    it('creates nothing for a channel that does not exist (or was removed meanwhile)', async () => {
      expect(await channels.setTopic('nowhere', 'hello')).toBeUndefined();
      await channels.insertUnlessTaken(channel('general'));
      await channels.removeIfEmpty('general');
      expect(await channels.setTopic('general', 'hello')).toBeUndefined();
      expect([await channels.findById('general'), await channels.findAll()]).toEqual([undefined, []]);
      if (store)
        expect([...(await dumpKeys(store)).keys()].filter((key) => key.includes('general'))).toEqual([]);
    });

    it('is stored on insert too', async () => {
      await channels.insertUnlessTaken(channel('general', { topic: 'Welcome' }));
      expect(await channels.findById('general')).toEqual(channel('general', { topic: 'Welcome' }));
    });
  });

  describe('members', () => {
    beforeEach(async () => {
      for (const id of ['general', 'random', 'help']) await channels.insertUnlessTaken(channel(id));
    });

    it('adds a member once and removes them once', async () => {
      expect(await channels.addMember('general', alice.id)).toBe(true);
      expect(await channels.addMember('general', alice.id)).toBe(false);
      await channels.addMember('general', bob.id);
      expect(await channels.isMember('general', alice.id)).toBe(true);
      expect(await channels.memberCount('general')).toBe(2);
      expect((await channels.memberIds('general')).sort()).toEqual([alice.id, bob.id]);

      expect(await channels.removeMember('general', alice.id)).toBe(true);
      expect(await channels.removeMember('general', alice.id)).toBe(false);
      expect(await channels.isMember('general', alice.id)).toBe(false);
      expect(await channels.memberIds('general')).toEqual([bob.id]);
      expect(await channels.channelsOf(alice.id)).toEqual([]);
    });

    it('adds no one to a channel that does not exist', async () => {
      expect(await channels.addMember('nowhere', alice.id)).toBe(false);
      expect(await channels.isMember('nowhere', alice.id)).toBe(false);
      expect([await channels.memberCount('nowhere'), await channels.memberIds('nowhere')]).toEqual([0, []]);
      expect(await channels.channelsOf(alice.id)).toEqual([]);
      expect(await channels.removeMember('nowhere', alice.id)).toBe(false);
    });

    it("lists a user's channels in join order; a rejoin goes last", async () => {
      for (const id of ['random', 'general', 'help']) await channels.addMember(id, alice.id);
      expect(await channels.channelsOf(alice.id)).toEqual(['random', 'general', 'help']);
      await channels.removeMember('random', alice.id);
      await channels.addMember('random', alice.id);
      expect(await channels.channelsOf(alice.id)).toEqual(['general', 'help', 'random']);
      expect(await channels.channelsOf(bob.id)).toEqual([]);
    });

    it('counts concurrent joins of one user once', async () => {
      const added = await Promise.all([1, 2, 3].map(() => channels.addMember('general', alice.id)));
      expect(added.filter(Boolean)).toHaveLength(1);
      expect(await channels.channelsOf(alice.id)).toEqual(['general']);
    });
  });

  describe('last opened', () => {
    beforeEach(async () => {
      for (const id of ['general', 'random']) {
        await channels.insertUnlessTaken(channel(id));
        await channels.addMember(id, alice.id);
      }
    });

    it('is remembered per user, replaced, and cleared with null', async () => {
      expect(await channels.lastOpened(alice.id)).toBeNull();
      await channels.setLastOpened(alice.id, 'general');
      await channels.setLastOpened(alice.id, 'random');
      expect([await channels.lastOpened(alice.id), await channels.lastOpened(bob.id)]).toEqual([
        'random',
        null,
      ]);
      await channels.setLastOpened(alice.id, null);
      expect(await channels.lastOpened(alice.id)).toBeNull();
    });

    it('is forgotten on leaving that channel, and only that one', async () => {
      await channels.setLastOpened(alice.id, 'general');
      await channels.removeMember('random', alice.id);
      expect(await channels.lastOpened(alice.id)).toBe('general');
      await channels.removeMember('general', alice.id);
      expect(await channels.lastOpened(alice.id)).toBeNull();
    });
  });

  it('removeIfEmpty: removes only a channel nobody is in, frees its name and its creator’s count', async () => {
    await channels.insertUnlessTaken(channel('general'));
    await channels.addMember('general', bob.id);
    expect(await channels.removeIfEmpty('general')).toBe(false);
    expect(await channels.removeIfEmpty('nowhere')).toBe(false);
    await channels.removeMember('general', bob.id);
    expect(await channels.removeIfEmpty('general')).toBe(true);
    expect([await channels.findById('general'), await channels.findAll()]).toEqual([undefined, []]);
    expect(await channels.countCreatedBy(alice.id)).toBe(0);
    expect(await channels.insertUnlessTaken(channel('general'))).toBeUndefined();
    expect(await channels.removeIfEmpty('general')).toBe(true);
    if (store)
      expect([...(await dumpKeys(store)).keys()].filter((key) => key.includes('general'))).toEqual([]);
  });

  describe('removeUser', () => {
    beforeEach(async () => {
      await channels.insertUnlessTaken(channel('general', { createdBy: bob.id }));
      await channels.insertUnlessTaken(channel('alices'));
      await channels.insertUnlessTaken(dm);
      for (const id of ['general', 'alices', dmId]) await channels.addMember(id, alice.id);
      for (const id of ['general', dmId]) await channels.addMember(id, bob.id);
      await channels.setLastOpened(alice.id, 'alices');
      await channels.setLastOpened(bob.id, 'general');
      await channels.removeUser(alice.id);
    });

    it('takes the user out of every channel and forgets what was kept per user', async () => {
      for (const id of ['general', 'alices', dmId]) expect(await channels.isMember(id, alice.id)).toBe(false);
      expect(await channels.memberIds('general')).toEqual([bob.id]);
      expect(await channels.memberCount('alices')).toBe(0);
      expect(await channels.channelsOf(alice.id)).toEqual([]);
      expect(await channels.lastOpened(alice.id)).toBeNull();
      expect(await channels.countCreatedBy(alice.id)).toBe(0);
    });

    it('keeps the channels and everyone else as they were', async () => {
      expect(byId(await channels.findAll()).map((c) => c.id)).toEqual(['alices', dmId, 'general']);
      expect(await channels.channelsOf(bob.id)).toEqual(['general', dmId]);
      expect(await channels.lastOpened(bob.id)).toBe('general');
      expect(await channels.countCreatedBy(bob.id)).toBe(1);
      expect(await channels.addMember('alices', alice.id)).toBe(true);
    });

    it('leaves no key, member or field that is the user id', async () => {
      const traces = store
        ? await redisKeysMentioning(store.client, alice.id)
        : memoryKeysMentioning({ channels }, alice.id);
      expect(traces).toEqual([]);
    });
  });
});
