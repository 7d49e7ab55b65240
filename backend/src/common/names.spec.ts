import { describe, expect, it } from '@jest/globals';
import { AppError } from './app-error.js';
import { countGraphemes, nameKey } from '@flack/contract';
import { normalizeName } from './names.js';

const rules = { label: 'Channel name', field: 'name', maxLength: 8 };

function errorOf(raw: string): AppError {
  try {
    normalizeName(raw, rules);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('normalizeName', () => {
  it('trims, applies NFKC and keeps the case for display', () => {
    expect(normalizeName('  Ｇｅｎｅｒａｌ  ', rules)).toMatchObject({ display: 'General', key: 'general' });
  });

  it('gives General, general and ＧＥＮＥＲＡＬ one key', () => {
    const keys = ['General', 'general', 'ＧＥＮＥＲＡＬ', 'GENERAL'].map(
      (raw) => normalizeName(raw, rules).key,
    );
    expect(new Set(keys)).toEqual(new Set(['general']));
  });

  it('gives names that look alike one skeleton, and different-looking names different ones', () => {
    const skeleton = (raw: string) => normalizeName(raw, rules).skeleton;
    expect(skeleton('alice')).toBe(skeleton('\u0430lice'));
    expect(skeleton('paypal')).toBe(skeleton('p\u0430yp\u0430l'));
    expect(skeleton('Alice')).toBe(skeleton('ALICE'));
    expect(skeleton('alice')).not.toBe(skeleton('alicia'));
  });

  it('folds case beyond ASCII', () => {
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
    expect(nameKey('ΣΊΣΥΦΟΣ')).toBe(nameKey('σίσυφος'.toUpperCase()));
  });

  it('counts graphemes, not UTF-16 units', () => {
    expect(countGraphemes('👩‍👩‍👧‍👦é')).toBe(2);
    expect(normalizeName('👩‍👩‍👧‍👦'.repeat(8), rules).display).toHaveLength(88);
    expect(errorOf('👩‍👩‍👧‍👦'.repeat(9)).message).toBe('Channel name must be at most 8 characters.');
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['a\u0000b', 'control'],
    ['a\u202Eb', 'bidirectional'],
    ['a\u2066b', 'bidirectional'],
    ['a\u200Bb', 'invisible'],
    ['a\uFEFFb', 'invisible'],
    ['\u0301\u0301', 'visible'],
    ['x\u0301\u0302\u0303\u0304', 'accents'],
  ])('refuses %j with a message saying why', (raw, reason) => {
    const error = errorOf(raw);
    expect(error.code).toBe('INVALID');
    expect(error.message).toContain(reason);
    expect(error.extra.details).toEqual({ name: [error.message] });
  });
});
