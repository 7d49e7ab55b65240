import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LIMITS } from './limits.js';
import { countGraphemes, looksBlank, messageTextProblem, nameKey } from './text.js';

const TOO_LONG = 'A message can be at most 2,000 characters.';
const EMPTY = 'A message cannot be empty.';

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
    ['zero-width spaces', '\u200B\u200B\u200B'],
    ['Hangul fillers', '\u3164\u115F\u1160\uFFA0'],
    ['Braille blanks', '\u2800\u2800'],
    ['a soft hyphen and a word joiner', '\u00AD\u2060'],
    ['tag characters', '\u{E0041}\u{E0042}'],
    ['line and paragraph separators', '\u2028\u2029'],
  ])('refuses %s as empty', (_, text) => {
    expect(messageTextProblem(text)).toBe(EMPTY);
  });

  it('refuses a lone surrogate rather than store a character that is not one', () => {
    expect(messageTextProblem('hi \uD83D')).toBe('A message cannot contain broken characters.');
    expect(messageTextProblem('\uDE00 hi')).toBe('A message cannot contain broken characters.');
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
  it('gives every ASCII character the key the full normalisation gives it', () => {
    const full = (text: string) => text.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
    for (let code = 0; code < 0x80; code++) {
      const text = `a${String.fromCharCode(code)}z`;
      expect(nameKey(text)).toBe(full(text));
    }
    expect(nameKey('General-2')).toBe('general-2');
  });

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

// Generated texts from the Unicode classes that draw nothing, read from the engine's own data.

/** Every Unicode scalar value, in one string the regular expression engine can scan at its own speed. */
const EVERY_CODE_POINT = Array.from({ length: 0x110000 - 0x800 }, (_, index) =>
  String.fromCodePoint(index < 0xd800 ? index : index + 0x800),
).join('');

/** Every code point (as a string) that matches all of `patterns`. */
function codePointsMatching(first: RegExp, ...rest: RegExp[]): string[] {
  const found = EVERY_CODE_POINT.match(new RegExp(first.source, 'gu')) ?? [];
  return found.filter((character) => rest.every((pattern) => pattern.test(character)));
}

const anyOf = (characters: string[]) =>
  fc.nat({ max: characters.length - 1 }).map((index) => characters[index] as string);
/** A string of one arbitrary code point from `pattern`. */
const oneOf = (...patterns: [RegExp, ...RegExp[]]) => anyOf(codePointsMatching(...patterns));
const blankCharacter = fc.oneof(
  oneOf(/\p{White_Space}/u),
  oneOf(/\p{Default_Ignorable_Code_Point}/u),
  fc.integer({ min: 0xe0000, max: 0xe007f }).map((codePoint) => String.fromCodePoint(codePoint)),
  fc.constantFrom('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u034F', '\u180E', '\u17B4'),
  fc.constantFrom('\u3164', '\u115F', '\u1160', '\uFFA0', '\u2800', '\u{1D159}'),
  oneOf(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u),
);
const blankText = fc.array(blankCharacter, { maxLength: 40 }).map((parts) => parts.join(''));
const visibleCharacter = fc.oneof(
  oneOf(/[\p{L}\p{N}\p{P}\p{S}]/u, /[^\p{Default_Ignorable_Code_Point}\u2800\u{1D159}]/u),
  fc.constantFrom('👩🏽‍💻', '🇫🇷', '1️⃣', '🏳️‍🌈', '👍🏿', '❤️', 'é', 'क्षि', '王', 'ש', 'م', 'Ж', 'Ω'),
);

describe('messageTextProblem on generated texts', () => {
  it('refuses any text made only of white space, default-ignorables, fillers and blanks', () => {
    fc.assert(
      fc.property(blankText, (text) => {
        expect(looksBlank(text)).toBe(true);
        expect(messageTextProblem(text)).toBe(EMPTY);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts the same texts with one visible character anywhere in them', () => {
    fc.assert(
      fc.property(blankText, blankText, visibleCharacter, (before, after, visible) => {
        expect(messageTextProblem(before + visible + after)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any text with a lone surrogate in it', () => {
    const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
    fc.assert(
      fc.property(visibleCharacter, loneSurrogate, blankText, (visible, broken, blank) => {
        expect(messageTextProblem(visible + blank + broken)).toBe(
          'A message cannot contain broken characters.',
        );
      }),
    );
  });
});
