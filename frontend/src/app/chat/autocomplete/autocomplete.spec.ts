import { findMention, isEmoji } from '@flack/contract';
import {
  applySuggestion,
  convertShortcodeBeforeCaret,
  filterByQuery,
  foldForMatch,
  insideCode,
  reactionIn,
  triggerAt,
  type Trigger,
  convertShortcodes,
} from './autocomplete';

const EMOJI: Record<string, string> = { tada: '🎉', thumbsup: '👍', '+1': '👍', smile: '😄' };
const emojiFor = (code: string) => EMOJI[code] ?? null;

/** The trigger with the caret at the end of `text`. */
const at = (text: string) => triggerAt(text, text.length);

describe('triggerAt', () => {
  it.each<[string, Partial<Trigger> | null]>([
    ['@', { kind: '@', start: 0, query: '' }],
    ['hi @Ann', { kind: '@', start: 3, query: 'Ann' }],
    // Names have spaces: "@Mary A" is still looking for Mary Ann.
    ['hi @Mary A', { kind: '@', start: 3, query: 'Mary A' }],
    ['(@bo', { kind: '@', start: 1, query: 'bo' }],
    ['#', { kind: '#', start: 0, query: '' }],
    ['see #gen', { kind: '#', start: 4, query: 'gen' }],
    [':ta', { kind: ':', start: 0, query: 'ta' }],
    ['yes +:thu', { kind: ':', start: 5, query: 'thu' }],
    ['so :+1', { kind: ':', start: 3, query: '+1' }],
  ])('%j is a trigger', (text, expected) => {
    expect(at(text)).toEqual({ end: text.length, ...expected });
  });

  it.each([
    // An address, not a mention (contract/src/mentions.ts's rule), and words with a colon inside.
    'mail bob@example',
    'at 12:30',
    'https://x',
    'issue#12',
    // No spaces in a channel or a shortcode; a mention's query does not start with one.
    '#general is',
    ':ta da',
    '@ ann',
    // Only the caret's line.
    '@ann\nand',
    'nothing here',
    '',
  ])('%j is none', (text) => {
    expect(at(text)).toBeNull();
  });

  it('looks at the caret, not the end of the text', () => {
    expect(triggerAt('hi @An and more', 6)).toEqual({ kind: '@', start: 3, end: 6, query: 'An' });
  });
});

describe('filterByQuery', () => {
  const names = ['Ann Lee', 'Joanna', 'Zoë', 'anna', 'Bob', 'Hannah', 'Mary-Ann'];

  it('puts an exact match first, then prefixes, then word starts, then the rest, in the given order', () => {
    expect(filterByQuery(names, 'ann', (name) => [name])).toEqual([
      'Ann Lee',
      'anna',
      'Mary-Ann',
      'Joanna',
      'Hannah',
    ]);
    expect(filterByQuery(['anna', 'Ann'], 'ann', (name) => [name])).toEqual(['Ann', 'anna']);
  });

  it('ignores case, width and accents', () => {
    expect(filterByQuery(names, 'ZOE', (name) => [name])).toEqual(['Zoë']);
    expect(filterByQuery(['Zoe'], 'zoë', (name) => [name])).toEqual(['Zoe']);
    expect(filterByQuery(['ｂｏｂ'], 'Bob', (name) => [name])).toEqual(['ｂｏｂ']);
    expect(foldForMatch('Ångström')).toBe('angstrom');
  });

  it('matches a query with a space from the start only, and stops at the limit', () => {
    expect(filterByQuery(names, 'ann l', (name) => [name])).toEqual(['Ann Lee']);
    expect(filterByQuery(names, 'ann said', (name) => [name])).toEqual([]);
    expect(filterByQuery(names, '', (name) => [name], 3)).toEqual(['Ann Lee', 'Joanna', 'Zoë']);
  });
});

describe('applySuggestion', () => {
  it('inserts @name and a space, so the mention ends where the server ends it, even with spaces in the name', () => {
    const text = 'hi @Mary';
    const trigger = at(text)!;

    const applied = applySuggestion(text, trigger, { kind: '@', insert: '@Mary Ann' });

    expect(applied).toEqual({ text: 'hi @Mary Ann ', caret: 13 });
    expect(findMention(`${applied.text}lunch?`, 'Mary Ann')).toEqual([3, 12]);
  });

  it('replaces only up to the caret, and steps over a space that is there already', () => {
    const text = 'hi @Jo see you';
    const trigger = triggerAt(text, 6)!;

    expect(applySuggestion(text, trigger, { kind: '@', insert: '@Joanna' })).toEqual({
      text: 'hi @Joanna see you',
      caret: 11,
    });
  });

  it('inserts a channel with a space and an emoji without one', () => {
    expect(applySuggestion('#ge', at('#ge')!, { kind: '#', insert: '#general' })).toEqual({
      text: '#general ',
      caret: 9,
    });
    expect(applySuggestion('yay :ta', at('yay :ta')!, { kind: ':', insert: '🎉' })).toEqual({
      text: 'yay 🎉',
      caret: 6,
    });
  });
});

describe('convertShortcodeBeforeCaret', () => {
  const convert = (text: string, caret = text.length) => convertShortcodeBeforeCaret(text, caret, emojiFor);

  it('turns a known :shortcode: into its emoji as the closing colon is typed', () => {
    expect(convert('party :tada:')).toEqual({ text: 'party 🎉', caret: 8 });
    expect(convert(':TADA:')).toEqual({ text: '🎉', caret: 2 });
    expect(convert('+:+1:')).toEqual({ text: '+👍', caret: 3 });
    expect(convert('a :tada: b', 8)).toEqual({ text: 'a 🎉 b', caret: 4 });
  });

  it('leaves unknown codes, times, words with colons and code alone', () => {
    expect(convert(':nope:')).toBeNull();
    expect(convert('at 12:30:')).toBeNull();
    expect(convert('a::')).toBeNull();
    expect(convert('x:tada:')).toBeNull();
    expect(convert('`:tada:')).toBeNull();
    expect(convert('```\n:tada:')).toBeNull();
    expect(convert('`a` :tada:')).toEqual({ text: '`a` 🎉', caret: 6 });
    expect(convert(':tada: more')).toBeNull();
  });

  it('knows when it is inside code', () => {
    expect(insideCode('a `b', 4)).toBe(true);
    expect(insideCode('a `b` c', 7)).toBe(false);
  });
});

describe('reactionIn', () => {
  it.each([
    ['+👍', '👍'],
    [' +:thumbsup: ', '👍'],
    ['+:+1:', '👍'],
    ['+👍🏽', '👍🏽'],
    ['+❤️', '❤️'],
  ])('%j reacts with %s', (text, emoji) => {
    expect(reactionIn(text, isEmoji, emojiFor)).toBe(emoji);
  });

  it.each(['+1', '+:nope:', '+👍👍', 'ok +👍', '+ 👍', '👍', '+:tada: yes', '+a'])(
    '%j is a message',
    (text) => {
      expect(reactionIn(text, isEmoji, emojiFor)).toBeNull();
    },
  );
});

describe('convertShortcodes (on sending)', () => {
  const emojiFor = (code: string) => ({ tada: '🎉', '+1': '👍' })[code] ?? null;

  it('turns every known shortcode into its emoji, outside code and inside words only where one starts', () => {
    expect(convertShortcodes('nice :tada: and :+1:', emojiFor)).toBe('nice 🎉 and 👍');
    expect(convertShortcodes('`:tada:` stays, :nope: stays, a:tada: stays', emojiFor)).toBe(
      '`:tada:` stays, :nope: stays, a:tada: stays',
    );
    expect(convertShortcodes('10:30:45 and :tada::tada:', emojiFor)).toBe('10:30:45 and 🎉:tada:');
  });
});
