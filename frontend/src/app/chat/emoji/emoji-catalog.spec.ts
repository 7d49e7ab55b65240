import { isEmoji } from '@flack/contract';
import {
  buildCatalog,
  rgiForm,
  searchEmoji,
  searchShortcodes,
  withTone,
  type CompactEmojiData,
  type ShortcodeData,
} from './emoji-catalog';

// The data as emoji-data.ts builds it. Not imported from there: these specs run as CommonJS without
// esModuleInterop, where a JSON module's default import is undefined (the app's bundler has one).
const catalog = buildCatalog(
  jest.requireActual<CompactEmojiData[]>('emojibase-data/en/compact.json'),
  jest.requireActual<ShortcodeData>('emojibase-data/en/shortcodes/github.json'),
);

describe('the emoji catalog (emojibase data)', () => {
  it('offers only emoji the contract accepts as reactions, each once', () => {
    const all = catalog.entries.flatMap((entry) => [entry.emoji, ...(entry.skins ?? [])]);

    expect(catalog.entries.length).toBeGreaterThan(1800);
    expect(all.filter((emoji) => !isEmoji(emoji))).toEqual([]);
    expect(new Set(catalog.entries.map((entry) => entry.emoji)).size).toBe(catalog.entries.length);
  });

  it('knows GitHub shortcodes, in their RGI form', () => {
    expect(catalog.byShortcode.get('tada')?.emoji).toBe('🎉');
    // emojibase writes 👍 with U+FE0F; the reaction is the RGI form without it.
    expect(catalog.byShortcode.get('thumbsup')?.emoji).toBe('👍');
    expect(catalog.byShortcode.get('+1')?.emoji).toBe('👍');
    expect(catalog.byShortcode.get('heart')?.emoji).toBe('❤️');
  });

  it('leaves out bare skin tones and hair (the "component" group)', () => {
    expect(catalog.byEmoji.has('🏽')).toBe(false);
    expect(catalog.groups.map((group) => group.name)).not.toContain('Component');
  });

  it('applies a skin tone where there is one', () => {
    const thumbs = catalog.byShortcode.get('thumbsup')!;

    expect(withTone(thumbs, 0)).toBe('👍');
    expect(withTone(thumbs, 3)).toBe('👍🏽');
    expect(withTone(catalog.byShortcode.get('tada')!, 3)).toBe('🎉');
    // A toned emoji is found as its base, for "Recently used".
    expect(catalog.byEmoji.get('👍🏿')).toBe(thumbs);
  });

  it('searches shortcodes, names and tags; the : list by shortcode', () => {
    expect(searchEmoji(catalog, 'party popper', 5)[0]?.emoji).toBe('🎉');
    expect(searchEmoji(catalog, 'TADA', 5)[0]?.emoji).toBe('🎉');
    expect(searchShortcodes(catalog, 'tad', 5)[0]?.emoji).toBe('🎉');
    expect(searchShortcodes(catalog, 'thumbsup', 5)[0]?.emoji).toBe('👍');
  });
});

describe('buildCatalog', () => {
  it('keeps what is RGI, drops what is not, and five tones only', () => {
    const built = buildCatalog(
      [
        { label: 'b', hexcode: 'B', unicode: '👍️', group: 1, order: 2 },
        { label: 'a', hexcode: 'A', unicode: '😀', group: 0, order: 1 },
        { label: 'not one', hexcode: 'X', unicode: 'x', group: 0, order: 3 },
        { label: 'tone', hexcode: 'T', unicode: '🏻', group: 2, order: 4 },
        {
          label: 'two skins',
          hexcode: 'W',
          unicode: '👋',
          group: 1,
          order: 5,
          skins: [{ unicode: '👋🏻' }, { unicode: '👋🏼' }],
        },
      ],
      { A: 'grinning', B: ['+1', 'thumbsup'] },
    );

    expect(built.entries.map((entry) => entry.emoji)).toEqual(['😀', '👍', '👋']);
    expect(built.byShortcode.get('thumbsup')?.name).toBe('b');
    expect(built.entries[2]?.skins).toBeNull();
    expect(rgiForm('x')).toBeNull();
  });
});
