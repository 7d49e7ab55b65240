import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
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

  it('lists sorted by name, counting at most 100 stored messages, kept up to date by message.stored', async () => {
    await app.channels.create(u1, 'zeta');
    await app.channels.create(u1, 'Alpha');
    await app.channels.create(u1, 'beta');
    const before = await app.channels.listJson();
    for (let i = 0; i < 150; i++) {
      const createdAt = `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`;
      await app.events.emit('message.stored', {
        message: {
          id: `m${i}`,
          channel: 'beta',
          seq: i + 1,
          author: u1,
          text: 'x',
          createdAt,
          clientId: `c${i}`,
        },
      });
    }
    const listed = await app.channels.list();
    expect(listed.map((channel) => channel.name)).toEqual(['Alpha', 'beta', 'zeta']);
    expect(listed[1]).toMatchObject({ messages: 100, lastMessageAt: '2026-01-01T00:00:59.000Z' });
    expect(await app.channels.listJson()).not.toBe(before);
    expect(JSON.parse(await app.channels.listJson())).toEqual(listed);
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
