import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { User } from '@flack/contract';
import type { RedisStore } from '../redis/redis-store.js';
import { BACKENDS, closeStore, dumpKeys, openStore } from '../../test/support/repository-backends.js';
import { memoryKeysMentioning, redisKeysMentioning } from '../../test/support/traces.js';
import { ChannelsRepository, type ChannelRecord } from './channels.repository.js';
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

describe.each(BACKENDS)('ChannelsRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let channels: ChannelsRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    channels = store ? new RedisChannelsRepository(store) : new InMemoryChannelsRepository();
  });
  afterEach(() => closeStore(store));

  it('says whether every change goes through this process (memory) or not (a shared store)', () => {
    expect(channels.seesEveryChange).toBe(backend === 'memory');
  });

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
