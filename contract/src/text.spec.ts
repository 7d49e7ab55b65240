import { describe, expect, it } from '@jest/globals';
import { LIMITS } from './limits.js';
import { countGraphemes, messageTextProblem, nameKey } from './text.js';

const TOO_LONG = 'A message can be at most 2,000 characters.';

describe('countGraphemes', () => {
  it.each([
    ['a skin-toned emoji', '👍🏽', 4],
    ['a ZWJ family', '👩‍👩‍👧‍👦', 11],
    ['a flag', '🇫🇷', 4],
    ['a letter with a combining accent', 'e\u0301', 2],
  ])('counts %s as one character (%i UTF-16 units)', (_, text, units) => {
    expect(text).toHaveLength(units);
    expect(countGraphemes(text)).toBe(1);
  });

  it('counts what a person sees', () => {
    expect(countGraphemes('')).toBe(0);
    expect(countGraphemes('Salut 🇫🇷 👍🏽 👩‍👩‍👧‍👦!')).toBe(12);
  });
});

describe('messageTextProblem', () => {
  it.each([
    ['plain text', 'hello'],
    ['one character', 'x'],
    ['text with white space around it', '  hi\n'],
    ['2,000 letters', 'a'.repeat(LIMITS.messageMaxLength)],
    ['1,001 × 👍🏽 (4,004 UTF-16 units)', '👍🏽'.repeat(1001)],
    ['2,000 ZWJ families', '👩‍👩‍👧‍👦'.repeat(LIMITS.messageMaxLength)],
    ['2,000 flags', '🇫🇷'.repeat(LIMITS.messageMaxLength)],
  ])('accepts %s', (_, text) => {
    expect(messageTextProblem(text)).toBeNull();
  });

  it.each([
    ['nothing', ''],
    ['spaces', '   '],
    ['line breaks and tabs', '\n\t\r\n'],
    ['a no-break space', '\u00a0'],
  ])('refuses %s as empty', (_, text) => {
    expect(messageTextProblem(text)).toBe('A message cannot be empty.');
  });

  it.each([
    ['2,001 letters', 'a'.repeat(LIMITS.messageMaxLength + 1)],
    ['2,001 × 👍🏽', '👍🏽'.repeat(LIMITS.messageMaxLength + 1)],
    ['2,001 ZWJ families', '👩‍👩‍👧‍👦'.repeat(LIMITS.messageMaxLength + 1)],
    ['2,001 flags', '🇫🇷'.repeat(LIMITS.messageMaxLength + 1)],
  ])('refuses %s with a sentence a person understands', (_, text) => {
    expect(messageTextProblem(text)).toBe(TOO_LONG);
  });
});

describe('nameKey', () => {
  it('folds width and case, beyond ASCII', () => {
    expect(nameKey('ＧＥＮＥＲＡＬ')).toBe('general');
    expect(nameKey('STRASSE')).toBe(nameKey('straße'));
    expect(nameKey('ΣΊΣΥΦΟΣ')).toBe(nameKey('σίσυφος'.toUpperCase()));
  });

  it('keeps what is not case: white space is the caller’s to trim', () => {
    expect(nameKey(' Alice ')).toBe(' alice ');
    expect(nameKey('👍🏽')).toBe('👍🏽');
  });
});
