import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Channel } from '@flack/contract';
import { inMemoryServices } from '../../test/support/services.js';

const u1 = { id: 'u1', name: 'one' };
const u2 = { id: 'u2', name: 'two' };

describe('ChannelsService', () => {
  let app: ReturnType<typeof inMemoryServices>;

  beforeEach(() => {
    app = inMemoryServices();
  });
  afterEach(() => app.stop());

  it('creates a channel with its creator as the only member', async () => {
    const channel = await app.channels.create(u1, ' Random ');
    expect(channel).toMatchObject({
      id: 'random',
      name: 'Random',
      members: 1,
      messages: 0,
      lastMessageAt: null,
    });
    expect(await app.channels.membershipOf('u1')).toEqual({ joined: ['random'], lastChannel: null });
  });

  it('refuses a name that differs only by case or width, keeping the original', async () => {
    await app.channels.create(u1, 'Random');
    await expect(app.channels.create(u2, 'ＲＡＮＤＯＭ')).rejects.toMatchObject({ code: 'CHANNEL_EXISTS' });
    expect(await app.channels.list()).toHaveLength(1);
    expect((await app.channels.list())[0]).toMatchObject({ name: 'Random', members: 1 });
  });

  it('joins idempotently, answers the history, and remembers the last channel opened', async () => {
    await app.channels.create(u1, 'a');
    await app.channels.create(u1, 'b');
    expect((await app.channels.join(u2, 'A')).newlyJoined).toBe(true);
    expect((await app.channels.join(u2, 'b')).newlyJoined).toBe(true);
    const again = await app.channels.join(u2, 'a');
    expect(again).toMatchObject({ newlyJoined: false, channel: { members: 2 }, messages: [] });
    expect(await app.channels.membershipOf('u2')).toEqual({ joined: ['a', 'b'], lastChannel: 'a' });
  });

  it('tells the other features who joined and who left, once each', async () => {
    const seen: string[] = [];
    app.events.on('channel.joined', ({ channel, user }) => void seen.push(`joined ${channel.id} ${user.id}`));
    app.events.on('channel.left', ({ channelId, user }) => void seen.push(`left ${channelId} ${user.id}`));
    await app.channels.create(u1, 'a');
    await app.channels.join(u2, 'a');
    await app.channels.join(u2, 'a');
    await app.channels.leave(u2, 'a');
    expect(seen).toEqual(['joined a u1', 'joined a u2', 'left a u2']);
  });

  it('leaves: membership, member count and last channel all go', async () => {
    await app.channels.create(u1, 'a');
    await app.channels.join(u2, 'a');
    const left = await app.channels.leave(u2, 'a');
    expect(left.members).toBe(1);
    expect(await app.channels.membershipOf('u2')).toEqual({ joined: [], lastChannel: null });
    await expect(app.channels.leave(u2, 'a')).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('checks membership: NOT_FOUND for no such channel, NOT_A_MEMBER for an outsider', async () => {
    await app.channels.create(u1, 'a');
    await expect(app.channels.requireMembership('u2', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(app.channels.requireMembership('u2', 'a')).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    await expect(app.channels.requireMembership('u1', ' A ')).resolves.toMatchObject({ id: 'a' });
  });

  it('lists sorted by name, counting at most 100 stored messages, kept up to date by each one sent', async () => {
    await app.channels.create(u1, 'zeta');
    await app.channels.create(u1, 'Alpha');
    await app.channels.create(u1, 'beta');
    const before = await app.channels.listJson();
    let lastSent = '';
    for (let i = 0; i < 150; i++) {
      const sent = await app.messages.send(u1, { channel: 'beta', text: 'x', clientId: randomUUID() });
      lastSent = sent.message!.createdAt;
    }
    const listed = await app.channels.list();
    expect(listed.map((channel) => channel.name)).toEqual(['Alpha', 'beta', 'zeta']);
    expect(listed[1]).toMatchObject({ messages: 100, lastMessageAt: lastSent });
    expect(await app.channels.listJson()).not.toBe(before);
    expect(JSON.parse(await app.channels.listJson())).toEqual(listed);
  });

  it('answers listings asked while a read is on its way from one later read, which sees what changed meanwhile', async () => {
    const repository = app.repositories.channels;
    const read = repository.listing.bind(repository);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    repository.listing = async (known) => {
      const answer = await read(known);
      if (reads++ === 0) await held;
      return answer;
    };
    const first = app.channels.list();
    await app.channels.create(u1, 'late');
    const later = [app.channels.list(), app.channels.listJson(), app.channels.list()];
    release();
    expect((await first).map((channel) => channel.id)).toEqual([]);
    const [list, json] = await Promise.all(later);
    expect((list as Channel[]).map((channel) => channel.id)).toEqual(['late']);
    expect(JSON.parse(json as string)).toEqual(list);
    expect(reads).toBe(2);
  });

  it('forgets a released user everywhere', async () => {
    await app.channels.create(u1, 'a');
    await app.channels.join(u2, 'a');
    await app.events.emit('user.released', { userId: 'u2' });
    expect(await app.channels.membershipOf('u2')).toEqual({ joined: [], lastChannel: null });
    expect((await app.channels.list())[0].members).toBe(1);
  });

  it('answers someone else’s direct conversation exactly as one that does not exist', async () => {
    const alice = (await app.sessions.claim('alice')).user;
    const bob = (await app.sessions.claim('bob')).user;
    const eve = { id: 'u-eve', name: 'eve' };
    const { channel } = await app.channels.openDm(alice, bob.id);
    const invented = 'dm:00000000-0000-4000-8000-000000000000:00000000-0000-4000-8000-000000000001';
    for (const ref of [channel.id, invented]) {
      await expect(app.channels.join(eve, ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(app.channels.leave(eve, ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(app.channels.members(eve.id, ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(app.channels.leave(alice, channel.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('ChannelsService: topics', () => {
  let app: ReturnType<typeof inMemoryServices>;

  beforeEach(() => {
    app = inMemoryServices({ DEFAULT_CHANNELS: '' });
  });
  afterEach(() => app.stop());

  it('lets a member set, replace and clear the topic, trimmed, and lists it', async () => {
    await app.channels.create(u1, 'plans');
    await app.channels.join(u2, 'plans');

    const set = await app.channels.setTopic(u2, 'Plans', '  Release on Thursday  ');
    expect(set).toEqual({
      channel: expect.objectContaining({ id: 'plans', topic: 'Release on Thursday' }),
      changed: true,
    });
    expect((await app.channels.list())[0]).toMatchObject({ topic: 'Release on Thursday' });
    expect(JSON.parse(await app.channels.listJson())[0]).toMatchObject({ topic: 'Release on Thursday' });
    expect((await app.channels.join(u1, 'plans')).channel.topic).toBe('Release on Thursday');

    const cleared = await app.channels.setTopic(u1, 'plans', ' \u200B ');
    expect(cleared.changed).toBe(true);
    expect('topic' in cleared.channel).toBe(false);
    expect('topic' in (await app.channels.list())[0]).toBe(false);
    expect('topic' in JSON.parse(await app.channels.listJson())[0]).toBe(false);
  });

  it('says nothing changed when the topic already was that', async () => {
    await app.channels.create(u1, 'plans');
    await app.channels.setTopic(u1, 'plans', 'Same');
    expect((await app.channels.setTopic(u1, 'plans', ' Same ')).changed).toBe(false);
    expect((await app.channels.setTopic(u1, 'plans', '')).changed).toBe(true);
    expect((await app.channels.setTopic(u1, 'plans', '')).changed).toBe(false);
  });

  it('refuses outsiders, unknown channels and a topic past the rules, changing nothing', async () => {
    await app.channels.create(u1, 'plans');
    await app.channels.setTopic(u1, 'plans', 'Kept');
    await expect(app.channels.setTopic(u2, 'plans', 'Mine now')).rejects.toMatchObject({
      code: 'NOT_A_MEMBER',
    });
    await expect(app.channels.setTopic(u2, 'nowhere', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(app.channels.setTopic(u1, 'plans', 'x'.repeat(251))).rejects.toMatchObject({
      code: 'INVALID',
      message: 'A topic can be at most 250 characters.',
    });
    await expect(app.channels.setTopic(u1, 'plans', 'two\nlines')).rejects.toMatchObject({ code: 'INVALID' });
    expect((await app.channels.list())[0].topic).toBe('Kept');
  });

  it('gives a direct conversation a topic its two people see, and nobody else', async () => {
    const alice = (await app.sessions.claim('alice')).user;
    const bob = (await app.sessions.claim('bob')).user;
    const eve = { id: 'u-eve', name: 'eve' };
    const { channel } = await app.channels.openDm(alice, bob.id);
    const before = await app.channels.listJson();

    expect((await app.channels.setTopic(bob, channel.id, 'Lunch?')).channel.topic).toBe('Lunch?');
    await expect(app.channels.setTopic(eve, channel.id, 'Mine')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const listedForAlice = (await app.channels.listFor(alice.id)).find((listed) => listed.id === channel.id);
    expect(listedForAlice?.topic).toBe('Lunch?');
    expect(await app.channels.listJson()).toBe(before);
  });
});

describe('ChannelsService: default channels', () => {
  let app: ReturnType<typeof inMemoryServices>;

  beforeEach(() => {
    app = inMemoryServices({ DEFAULT_CHANNELS: 'General, random,general' });
  });
  afterEach(() => app.stop());

  it('creates the missing ones once, in order, counted against nobody', async () => {
    expect((await app.channels.ensureDefaults()).map((channel) => channel.name)).toEqual([
      'General',
      'random',
    ]);
    expect(await app.channels.ensureDefaults()).toEqual([]);
    expect((await app.channels.list()).map((channel) => [channel.id, channel.members])).toEqual([
      ['general', 0],
      ['random', 0],
    ]);
    expect(await app.repositories.channels.countCreatedBy('')).toBe(0);
  });

  it('keeps a channel someone made under a default name, and makes the rest', async () => {
    await app.channels.create(u1, 'Random');
    expect((await app.channels.ensureDefaults()).map((channel) => channel.id)).toEqual(['general']);
    expect((await app.channels.list()).find((channel) => channel.id === 'random')?.members).toBe(1);
  });

  it('does not make a default channel that looks like one someone made, nor joins anyone to it', async () => {
    await app.channels.create(u1, 'g\u0435neral');
    expect((await app.channels.ensureDefaults()).map((channel) => channel.id)).toEqual(['random']);
    const alice = (await app.sessions.claim('alice')).user;
    expect(await app.channels.membershipOf(alice.id)).toEqual({ joined: ['random'], lastChannel: 'random' });
  });

  it('joins a newcomer to every default channel and opens the first one', async () => {
    await app.channels.ensureDefaults();
    const joined: string[] = [];
    app.events.on('channel.joined', ({ channel, user }) => void joined.push(`${channel.id} ${user.name}`));
    const alice = (await app.sessions.claim('alice')).user;
    expect(joined).toEqual(['general alice', 'random alice']);
    expect(await app.channels.membershipOf(alice.id)).toEqual({
      joined: ['general', 'random'],
      lastChannel: 'general',
    });
    expect(JSON.parse(await app.channels.listJson())[0]).toMatchObject({ id: 'general', members: 1 });
  });

  it('never removes a default channel for being empty; other channels still go', async () => {
    await app.channels.ensureDefaults();
    const removed: string[] = [];
    app.events.on('channel.removed', ({ channelId }) => void removed.push(channelId));
    const alice = (await app.sessions.claim('alice')).user;
    await app.channels.create(alice, 'side');
    await app.channels.leave(alice, 'general');
    await app.sessions.forget(alice.id);
    expect(removed).toEqual(['side']);
    expect((await app.channels.list()).map((channel) => [channel.id, channel.members])).toEqual([
      ['general', 0],
      ['random', 0],
    ]);
  });

  it('joins nobody to default channels that were not created (a server without start-up)', async () => {
    const alice = (await app.sessions.claim('alice')).user;
    expect(await app.channels.membershipOf(alice.id)).toEqual({ joined: [], lastChannel: null });
  });

  it('stops the start-up on a default channel name no one could create', () => {
    expect(() => inMemoryServices({ DEFAULT_CHANNELS: 'general,dm:x' })).toThrow(
      'DEFAULT_CHANNELS: "dm:x" is not a channel name',
    );
    expect(() => inMemoryServices({ DEFAULT_CHANNELS: 'x'.repeat(65) })).toThrow('DEFAULT_CHANNELS');
  });
});
