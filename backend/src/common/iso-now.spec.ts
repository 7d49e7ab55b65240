import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { isoNow } from './iso-now.js';

describe('isoNow', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('is the time now, to the millisecond, as toISOString writes it', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 11, 2, 9, 30, 0, 5) });
    expect(isoNow()).toBe('2026-12-02T09:30:00.005Z');
    jest.advanceTimersByTime(1);
    expect(isoNow()).toBe('2026-12-02T09:30:00.006Z');
    jest.setSystemTime(Date.UTC(2027, 0, 1));
    expect(isoNow()).toBe(new Date().toISOString());
  });
});
