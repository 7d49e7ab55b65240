import { describe, expect, it } from '@jest/globals';
import { andThen, isThenable } from './maybe-promise.js';

describe('andThen', () => {
  it('goes on at once with a value that is there, and answers a value', () => {
    const steps: string[] = [];
    const answer = andThen(2, (value) => {
      steps.push('next');
      return value * 3;
    });
    steps.push('after');
    expect(answer).toBe(6);
    expect(steps).toEqual(['next', 'after']);
  });

  it('waits for a promise, and answers a promise of the next step', async () => {
    const steps: string[] = [];
    const answer = andThen(Promise.resolve(2), (value) => {
      steps.push('next');
      return value * 3;
    });
    steps.push('after');
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe(6);
    expect(steps).toEqual(['after', 'next']);
  });

  it('throws at once what the next step throws on a value, and rejects with it on a promise', async () => {
    const refuse = (): never => {
      throw new Error('no');
    };
    expect(() => andThen(1, refuse)).toThrow('no');
    await expect(andThen(Promise.resolve(1), refuse)).rejects.toThrow('no');
    await expect(andThen(Promise.reject(new Error('earlier')), refuse)).rejects.toThrow('earlier');
  });

  it('waits for any thenable, as await does, and tells one from a value', async () => {
    const thenable: PromiseLike<number> = { then: (resolve) => Promise.resolve(resolve?.(4)) as never };
    expect(await andThen(thenable as Promise<number>, (value) => value + 1)).toBe(5);
    expect([thenable, Promise.resolve(1), Object.assign(() => 1, { then: () => 1 })].map(isThenable)).toEqual(
      [true, true, true],
    );
    expect([null, undefined, 0, 'then', { then: 1 }, () => 1].map(isThenable)).toEqual(Array(6).fill(false));
  });
});
