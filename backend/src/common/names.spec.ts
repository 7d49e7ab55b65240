import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { AppError } from './app-error.js';
import { LIMITS, countGraphemes, nameKey } from '@flack/contract';
import { normalizeName } from './names.js';

const rules = { label: 'Channel name', field: 'name', maxLength: 8 };

function errorOf(raw: string, nameRules = rules): AppError {
  try {
    normalizeName(raw, nameRules);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('normalizeName', () => {
  it('trims, applies NFKC and keeps the case for display', () => {
    expect(normalizeName('  Ｇｅｎｅｒａｌ  ', rules)).toMatchObject({ display: 'General', key: 'general' });
  });

  it('shows every space separator as one plain space (RFC 8266)', () => {
    expect(normalizeName('\u3000a \u1680 b\u00a0', rules).display).toBe('a b');
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
    expect(skeleton('علي')).toBe(skeleton('علـــي'));
    expect(skeleton('❤')).toBe(skeleton('❤\uFE0F'));
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

  it.each(['👩🏽‍💻', '🏳️‍🌈', '🇫🇷', '1️⃣', '#️⃣', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤️', 'Ana ™️', 'ℹ️', '👍🏿', '🧑🏻‍🤝‍🧑🏾'])(
    'accepts the emoji %s as typed',
    (emoji) => {
      expect(normalizeName(emoji, rules).display).toBe(emoji);
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['a\u0000b', 'control'],
    ['a\u202Eb', 'bidirectional'],
    ['a\u2066b', 'bidirectional'],
    ['a\u200Bb', 'invisible'],
    ['a\uFEFFb', 'invisible'],
    ['al\u00ADice', 'invisible'],
    ['al\u034Fice', 'invisible'],
    ['alice\uFE0F', 'invisible'],
    ['alice\u{E0041}', 'invisible'],
    ['ali\u180Ece', 'invisible'],
    ['\u17B4alice', 'invisible'],
    ['ali\u2028ce', 'invisible'],
    ['alice\u2800', 'invisible'],
    ['\u3164', 'invisible'],
    ['\u115F\u1160', 'invisible'],
    ['\uFFA0\uFFA0', 'invisible'],
    ['\u2800\u2800', 'invisible'],
    ['👩\u200D🦖', 'invisible'],
    ['a\u{F0000}', 'private-use'],
    ['a\u{50000}', 'unassigned'],
    ['al\uD800ice', 'broken'],
    ['\u0301\u0301', 'visible'],
    ['x\u0301\u0302\u0303\u0304\u0306', 'too many accents'],
    ['\u01D8\u0302\u0303\u0304', 'too many accents'],
    ['e\u0301\u0301', 'same accent twice'],
    ['\u00E9\u0301', 'same accent twice'],
  ])('refuses %j with a message saying why', (raw, reason) => {
    const error = errorOf(raw);
    expect(error.code).toBe('INVALID');
    expect(error.message).toContain(reason);
    expect(error.extra.details).toEqual({ name: [error.message] });
  });
});

// Generated inputs from the Unicode classes a look-alike is made of, read from the engine's own
// Unicode data rather than listed by hand.

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

/** Characters that draw nothing, or nothing of their own, each class weighted alike. */
const invisibleCharacter = fc.oneof(
  oneOf(/\p{Default_Ignorable_Code_Point}/u),
  oneOf(/\p{Variation_Selector}/u),
  fc.integer({ min: 0xe0000, max: 0xe007f }).map((codePoint) => String.fromCodePoint(codePoint)),
  fc.constantFrom('\u00AD', '\u034F', '\u180E', '\u17B4', '\u17B5', '\u200B', '\u200C', '\u200D', '\u2060'),
  fc.constantFrom('\u3164', '\u115F', '\u1160', '\uFFA0', '\u2800', '\u{1D159}'),
  oneOf(/[\p{Cf}\p{Zl}\p{Zp}]/u),
  oneOf(/\p{Cc}/u),
  // Low surrogates only: a high one generated right before a low one would make a real character.
  fc.integer({ min: 0xdc00, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
);

/** Words of letters as people type them: already NFKC, so `ͺ` (a space and a mark under NFKC) is left out. */
const word = (...letters: [RegExp, ...RegExp[]]) =>
  fc
    .string({
      unit: anyOf(codePointsMatching(...letters).filter((letter) => letter.normalize('NFKC') === letter)),
      minLength: 1,
      maxLength: 6,
    })
    .map((text) => text.normalize('NFC'));
const skinTone = fc
  .integer({ min: 0x1f3fb, max: 0x1f3ff })
  .map((codePoint) => String.fromCodePoint(codePoint));
const emoji = fc.oneof(
  // A person with a skin tone at work: every one of these is a recommended (RGI) ZWJ sequence.
  fc
    .tuple(
      fc.constantFrom('👩', '👨', '🧑'),
      skinTone,
      fc.constantFrom('💻', '🔬', '🚀', '🎨', '🍳', '🌾', '🏫', '🔧'),
    )
    .map(([person, tone, tool]) => `${person}${tone}\u200D${tool}`),
  fc.tuple(fc.constantFrom('👍', '👋', '✌', '🙏'), skinTone).map(([hand, tone]) => hand + tone),
  fc
    .constantFrom('FR', 'DE', 'JP', 'BR', 'IN', 'UA', 'KE', 'CA')
    .map((code) => String.fromCodePoint(...[...code].map((letter) => 0x1f1a5 + letter.charCodeAt(0)))),
  fc.constantFrom(...'0123456789#*').map((key) => `${key}\uFE0F\u20E3`),
  fc.constantFrom('🏳️‍🌈', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '❤️', '👩‍👩‍👧‍👦', '🐈‍⬛', '😀'),
);
const realName = fc.oneof(
  fc.constantFrom('José', 'Zoë', 'Łukasz', 'Наталья', 'Σωκράτης', 'שָׁלוֹם', 'محمد', 'प्रिया', 'क्षितिज'),
  fc.constantFrom('王小明', 'さくら', '김민준', 'ㅋㅋㅋ', 'สมชาย', 'Nguyễn', 'ကြွေး', 'བསྒྲུབ', 'Ana María'),
  word(/\p{Script=Latin}/u),
  word(/\p{Script=Cyrillic}/u, /\p{L}/u),
  word(/\p{Script=Greek}/u, /\p{L}/u),
  word(/\p{Script=Hebrew}/u, /\p{Lo}/u),
  word(/\p{Script=Arabic}/u, /\p{Lo}/u),
  word(/\p{Script=Devanagari}/u, /\p{Lo}/u),
  word(/\p{Script=Han}/u, /\p{Lo}/u),
  word(/\p{Script=Hangul}/u, /\p{Lo}/u, /\P{Default_Ignorable_Code_Point}/u),
  emoji,
  fc.tuple(word(/\p{Script=Latin}/u), emoji).map(([name, symbol]) => `${name} ${symbol}`),
);

/** `name` with `inserted` put between two of its code points (or at either end). */
const withInserted = (name: string, inserted: string, at: number) => {
  const codePoints = [...name];
  codePoints.splice(at % (codePoints.length + 1), 0, inserted);
  return codePoints.join('');
};

const marks = codePointsMatching(/[\p{Mn}\p{Me}]/u, /\P{Default_Ignorable_Code_Point}/u).filter(
  (mark) => mark.normalize('NFKD') === mark,
);
/** Letters that are a base and two or more accents in one code point, such as ǘ and ệ. */
const precomposed = codePointsMatching(/\p{L}/u).filter(
  (letter) => (letter.normalize('NFD').match(/\p{Mn}/gu)?.length ?? 0) >= 2,
);

describe.each([
  ['display names', { label: 'Display name', field: 'name', maxLength: LIMITS.displayNameMaxLength }],
  ['channel names', { label: 'Channel name', field: 'name', maxLength: LIMITS.channelNameMaxLength }],
])('normalizeName on generated %s', (_, nameRules) => {
  const refusal = (raw: string) => {
    const error = errorOf(raw, nameRules);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('INVALID');
    return error.message;
  };

  it('accepts real names in many scripts, and shows them as it would store them again', () => {
    fc.assert(
      fc.property(realName, (name) => {
        const { display, key, skeleton } = normalizeName(name, nameRules);
        expect(normalizeName(display, nameRules)).toEqual({ display, key, skeleton });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a held name with any invisible character put in it, as invalid or as the same name', () => {
    fc.assert(
      fc.property(realName, invisibleCharacter, fc.nat(), (held, inserted, at) => {
        const heldSkeleton = normalizeName(held, nameRules).skeleton;
        const lookAlike = withInserted(held, inserted, at);
        try {
          expect(normalizeName(lookAlike, nameRules).skeleton).toBe(heldSkeleton);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          expect(error.code).toBe('INVALID');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a name made only of invisible characters and spaces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(invisibleCharacter, fc.constant(' ')), { minLength: 1, maxLength: 12 }),
        (parts) => {
          expect(refusal(parts.join(''))).toMatch(/^(Display|Channel) name must /);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses more than four accents on one letter, precomposed or not, and accepts up to four', () => {
    const distinctMarks = (min: number, max: number) =>
      fc.uniqueArray(anyOf(marks), { minLength: min, maxLength: max });
    fc.assert(
      fc.property(anyOf(precomposed), distinctMarks(3, 6), (letter, extra) => {
        const stack = [...letter.normalize('NFD')].slice(1).concat(extra);
        fc.pre(stack.length > 4 && new Set(stack).size === stack.length);
        expect(refusal(`a${letter}${extra.join('')}`)).toContain('too many accents');
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom('a', 'x', 'ш', 'ก'), distinctMarks(1, 4), (letter, stack) => {
        expect(() => normalizeName(letter + stack.join(''), nameRules)).not.toThrow();
      }),
    );
  });
});
