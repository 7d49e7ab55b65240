import { beforeEach, describe, expect, it } from '@jest/globals';
import { ChannelsService } from './channels.service.js';
import { InMemoryChannelsRepository } from './in-memory-channels.repository.js';
import { testConfig } from '../../test/support/test-config.js';

describe('ChannelsService', () => {
  let channels: ChannelsService;

  beforeEach(() => {
    channels = new ChannelsService(new InMemoryChannelsRepository(), testConfig());
  });

  it('creates a channel with its creator as the only member', async () => {
    const channel = await channels.create('u1', ' Random ');
    expect(channel).toMatchObject({
      id: 'random',
      name: 'Random',
      members: 1,
      messages: 0,
      lastMessageAt: null,
    });
    expect(await channels.membershipOf('u1')).toEqual({ joined: ['random'], lastChannel: null });
  });

  it('refuses a name that differs only by case or width, keeping the original', async () => {
    await channels.create('u1', 'Random');
    await expect(channels.create('u2', 'ＲＡＮＤＯＭ')).rejects.toMatchObject({ code: 'CHANNEL_EXISTS' });
    expect(await channels.list()).toHaveLength(1);
    expect((await channels.list())[0]).toMatchObject({ name: 'Random', members: 1 });
  });

  it('joins idempotently and remembers the last channel opened', async () => {
    await channels.create('u1', 'a');
    await channels.create('u1', 'b');
    expect((await channels.join('u2', 'A')).newlyJoined).toBe(true);
    expect((await channels.join('u2', 'b')).newlyJoined).toBe(true);
    const again = await channels.join('u2', 'a');
    expect(again).toMatchObject({ newlyJoined: false, channel: { members: 2 } });
    expect(await channels.membershipOf('u2')).toEqual({ joined: ['a', 'b'], lastChannel: 'a' });
  });

  it('leaves: membership, member count and last channel all go', async () => {
    await channels.create('u1', 'a');
    await channels.join('u2', 'a');
    const left = await channels.leave('u2', 'a');
    expect(left.members).toBe(1);
    expect(await channels.membershipOf('u2')).toEqual({ joined: [], lastChannel: null });
    await expect(channels.leave('u2', 'a')).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('checks membership: NOT_FOUND for no such channel, NOT_A_MEMBER for an outsider', async () => {
    await channels.create('u1', 'a');
    await expect(channels.requireMembership('u2', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(channels.requireMembership('u2', 'a')).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    await expect(channels.requireMembership('u1', ' A ')).resolves.toMatchObject({ id: 'a' });
  });

  it('lists sorted by name, counting at most 100 stored messages', async () => {
    await channels.create('u1', 'zeta');
    await channels.create('u1', 'Alpha');
    await channels.create('u1', 'beta');
    for (let i = 0; i < 150; i++)
      await channels.recordMessage('beta', `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`);
    const listed = await channels.list();
    expect(listed.map((channel) => channel.name)).toEqual(['Alpha', 'beta', 'zeta']);
    expect(listed[1]).toMatchObject({ messages: 100, lastMessageAt: '2026-01-01T00:00:29.000Z' });
  });

  it('forgets a user everywhere', async () => {
    await channels.create('u1', 'a');
    await channels.join('u2', 'a');
    await channels.forgetUser('u2');
    expect(await channels.membershipOf('u2')).toEqual({ joined: [], lastChannel: null });
    expect((await channels.list())[0].members).toBe(1);
  });
});
