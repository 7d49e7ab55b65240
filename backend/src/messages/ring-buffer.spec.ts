import { describe, expect, it } from '@jest/globals';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps items oldest first until full', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.newest()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.newest()).toEqual([1, 2]);
    expect(ring.size).toBe(2);
  });

  it('evicts the oldest item on the push past capacity and returns it', () => {
    const ring = new RingBuffer<number>(100);
    for (let i = 1; i <= 100; i++) expect(ring.push(i)).toBeUndefined();
    expect(ring.push(101)).toBe(1);
    expect(ring.size).toBe(100);
    const items = ring.newest();
    expect(items[0]).toBe(2);
    expect(items.at(-1)).toBe(101);
  });

  it('stays in order after wrapping around many times', () => {
    const ring = new RingBuffer<number>(7);
    for (let i = 1; i <= 1000; i++) ring.push(i);
    expect(ring.newest()).toEqual([994, 995, 996, 997, 998, 999, 1000]);
  });

  it('answers the newest few, oldest first, across the wrap', () => {
    const ring = new RingBuffer<number>(5);
    for (let i = 1; i <= 8; i++) ring.push(i);
    expect(ring.newest(3)).toEqual([6, 7, 8]);
    expect(ring.newest(50)).toEqual([4, 5, 6, 7, 8]);
    expect(ring.newest(0)).toEqual([]);
  });

  it('reads and replaces by position (0 = oldest) after wrapping', () => {
    const ring = new RingBuffer<string>(3);
    for (const item of ['a', 'b', 'c', 'd']) ring.push(item);
    expect([ring.at(0), ring.at(2), ring.at(3), ring.at(-1)]).toEqual(['b', 'd', undefined, undefined]);
    ring.set(0, 'B');
    expect(ring.newest()).toEqual(['B', 'c', 'd']);
    expect(() => ring.set(3, 'x')).toThrow(RangeError);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
