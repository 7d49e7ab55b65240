import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { inMemoryServices } from '../../test/support/services.js';

const RESERVATION_SECONDS = 60;

describe('SessionsService', () => {
  let app: ReturnType<typeof inMemoryServices>;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    app = inMemoryServices({ NAME_RESERVATION_SECONDS: String(RESERVATION_SECONDS) });
  });

  afterEach(() => {
    app.stop();
    jest.useRealTimers();
  });

  it('issues a different random token per claim and authenticates with it', async () => {
    const alice = await app.sessions.claim('alice');
    const bob = await app.sessions.claim('bob');
    expect(alice.token).not.toBe(bob.token);
    expect(await app.sessions.authenticate(alice.token)).toEqual(alice.user);
    expect(await app.sessions.authenticate(bob.token)).toEqual(bob.user);
  });

  it('refuses tokens that are not a live session', async () => {
    for (const token of [undefined, null, '', 42, {}, 'x'.repeat(300), 'not-a-token']) {
      expect(await app.sessions.authenticate(token)).toBeUndefined();
    }
  });

  it('holds a name while connected, and for the reservation period after the last socket goes', async () => {
    const alice = await app.sessions.claim('alice');
    await app.connections.connected(alice.user);
    await app.connections.connected(alice.user);
    await app.connections.disconnected(alice.user);
    jest.advanceTimersByTime(RESERVATION_SECONDS * 2000);
    await expect(app.sessions.claim('ALICE')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    await app.connections.disconnected(alice.user);
    jest.advanceTimersByTime(RESERVATION_SECONDS * 1000 - 1);
    await expect(app.sessions.claim('alice')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    jest.advanceTimersByTime(1);
    const next = await app.sessions.claim('alice');
    expect(next.user.id).not.toBe(alice.user.id);
    expect(await app.sessions.authenticate(alice.token)).toBeUndefined();
  });

  it('sweeps expired sessions, and every feature forgets them', async () => {
    const alice = await app.sessions.claim('alice');
    await app.channels.create(alice.user, 'general');
    jest.advanceTimersByTime(RESERVATION_SECONDS * 1000);
    expect(await app.sessions.releaseExpired()).toBe(1);
    // Nobody is left in it, so the channel goes too.
    expect(await app.channels.list()).toEqual([]);
    expect(await app.repositories.readStates.positionsOf(alice.user.id)).toEqual(new Map());
    expect(await app.sessions.releaseExpired()).toBe(0);
  });

  it('forget releases the name at once', async () => {
    const alice = await app.sessions.claim('alice');
    await app.connections.connected(alice.user);
    await app.sessions.forget(alice.user.id);
    expect(await app.sessions.authenticate(alice.token)).toBeUndefined();
    await expect(app.sessions.claim('alice')).resolves.toMatchObject({ user: { name: 'alice' } });
  });
});
