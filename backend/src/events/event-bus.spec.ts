import { describe, expect, it } from '@jest/globals';
import type { User } from '@flack/contract';
import { EventBus } from './event-bus.js';

const user: User = { id: 'u-ada', name: 'Ada' };

describe('EventBus', () => {
  it('runs the handlers in order, each after the one before has finished', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('user.claimed', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push('first, after a wait');
    });
    bus.on('user.claimed', () => void seen.push('second'));
    bus.on('user.claimed', async () => void seen.push('third'));

    const pending = bus.emit('user.claimed', { user });
    expect(seen).toEqual([]);
    await pending;
    expect(seen).toEqual(['first, after a wait', 'second', 'third']);
  });

  it('has nothing to wait for when every handler finished at once', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('user.claimed', ({ user: who }) => void seen.push(who.name));
    bus.on('user.claimed', () => undefined);

    expect(bus.emit('user.claimed', { user })).toBeUndefined();
    expect(seen).toEqual(['Ada']);
    expect(bus.emit('user.released', { userId: user.id })).toBeUndefined();
  });

  it('stops at the first failure and rejects with it, thrown or in a promise', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('user.claimed', () => {
      throw new Error('at once');
    });
    bus.on('user.claimed', () => void seen.push('never'));
    await expect(bus.emit('user.claimed', { user })).rejects.toThrow('at once');

    bus.on('user.released', async () => {
      throw new Error('later');
    });
    bus.on('user.released', () => void seen.push('never'));
    await expect(bus.emit('user.released', { userId: user.id })).rejects.toThrow('later');
    expect(seen).toEqual([]);
  });
});
