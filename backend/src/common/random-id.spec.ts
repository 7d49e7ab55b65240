import { describe, expect, it } from '@jest/globals';
import { isUUID } from 'class-validator';
import { randomId } from './random-id.js';

describe('randomId', () => {
  const ids = Array.from({ length: 20_000 }, () => randomId());

  it('makes version 4 UUIDs that the payload validation accepts as ids', () => {
    for (const id of ids.slice(0, 1000)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isUUID(id, 4)).toBe(true);
    }
  });

  it('never makes the same id twice, across refills of its random bytes', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws every random digit from all sixteen values, in every position', () => {
    for (let position = 0; position < 36; position++) {
      const seen = new Set(ids.map((id) => id[position]));
      if ([8, 13, 18, 23].includes(position)) expect(seen).toEqual(new Set(['-']));
      else if (position === 14) expect(seen).toEqual(new Set(['4']));
      else if (position === 19) expect(seen).toEqual(new Set(['8', '9', 'a', 'b']));
      else expect(seen.size).toBe(16);
    }
  });
});
