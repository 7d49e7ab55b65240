import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ChannelsService } from '../channels/channels.service.js';
import { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { InMemoryUsersRepository } from './in-memory-users.repository.js';
import { UsersService } from './users.service.js';
import { testConfig } from '../../test/support/test-config.js';

const RESERVATION_SECONDS = 60;

describe('UsersService', () => {
  let users: UsersService;
  let channels: ChannelsService;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    channels = new ChannelsService(new InMemoryChannelsRepository(), testConfig());
    const config = testConfig({ NAME_RESERVATION_SECONDS: String(RESERVATION_SECONDS) });
    users = new UsersService(new InMemoryUsersRepository(), channels, config);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('issues a different random token per claim and authenticates with it', async () => {
    const alice = await users.claim('alice');
    const bob = await users.claim('bob');
    expect(alice.token).not.toBe(bob.token);
    expect(await users.authenticate(alice.token)).toEqual(alice.user);
    expect(await users.authenticate(bob.token)).toEqual(bob.user);
  });

  it('refuses tokens that are not a live session', async () => {
    for (const token of [undefined, null, '', 42, {}, 'x'.repeat(300), 'not-a-token']) {
      expect(await users.authenticate(token)).toBeUndefined();
    }
  });

  it('holds a name while connected, and for the reservation period after the last socket goes', async () => {
    const alice = await users.claim('alice');
    await users.socketConnected(alice.user.id);
    await users.socketConnected(alice.user.id);
    await users.socketDisconnected(alice.user.id);
    jest.advanceTimersByTime(RESERVATION_SECONDS * 2000);
    await expect(users.claim('ALICE')).rejects.toMatchObject({ code: 'NAME_TAKEN' });

    await users.socketDisconnected(alice.user.id);
    jest.advanceTimersByTime(RESERVATION_SECONDS * 1000 - 1);
    await expect(users.claim('alice')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    jest.advanceTimersByTime(1);
    const next = await users.claim('alice');
    expect(next.user.id).not.toBe(alice.user.id);
    expect(await users.authenticate(alice.token)).toBeUndefined();
  });

  it('sweeps expired sessions and their memberships', async () => {
    const alice = await users.claim('alice');
    await channels.create(alice.user.id, 'general');
    jest.advanceTimersByTime(RESERVATION_SECONDS * 1000);
    expect(await users.releaseExpired()).toBe(1);
    expect((await channels.list())[0].members).toBe(0);
    expect(await users.releaseExpired()).toBe(0);
  });

  it('forget releases the name at once', async () => {
    const alice = await users.claim('alice');
    await users.socketConnected(alice.user.id);
    await users.forget(alice.user.id);
    expect(await users.authenticate(alice.token)).toBeUndefined();
    await expect(users.claim('alice')).resolves.toMatchObject({ user: { name: 'alice' } });
  });
});
