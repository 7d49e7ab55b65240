// The emoji the app offers, built from emojibase's compact data and its GitHub shortcodes. Only
// types and pure functions here: the data itself is in emoji-data.ts, loaded on first use.

import { isEmoji } from '@flack/contract';
import { filterByQuery, foldForMatch, matchRank } from '../autocomplete/autocomplete';

/** 0 is the default yellow; 1-5 are Fitzpatrick types 1-2 to 6, in emojibase's order. */
export type SkinTone = 0 | 1 | 2 | 3 | 4 | 5;

export interface EmojiEntry {
  /** Fully qualified and RGI, so it passes the contract's `isEmoji` and can be a reaction. */
  emoji: string;
  /** Its CLDR name: "thumbs up". */
  name: string;
  /** Without colons: ["+1", "thumbsup"]. */
  shortcodes: readonly string[];
  tags: readonly string[];
  group: number;
  /** The five skin-toned forms (light to dark) when it has them. */
  skins: readonly string[] | null;
}

export interface EmojiGroup {
  id: number;
  name: string;
  /** Shown on the category tab. */
  icon: string;
}

export interface EmojiCatalog {
  entries: readonly EmojiEntry[];
  groups: readonly EmojiGroup[];
  byShortcode: ReadonlyMap<string, EmojiEntry>;
  byEmoji: ReadonlyMap<string, EmojiEntry>;
}

/** emojibase's compact entry, as much of it as is read here. */
export interface CompactEmojiData {
  label: string;
  hexcode: string;
  unicode: string;
  group?: number;
  order?: number;
  tags?: readonly string[];
  skins?: readonly { unicode: string }[];
}

/** emojibase's shortcode data set: hexcode to one shortcode or several. */
export type ShortcodeData = Record<string, string | string[]>;

/** emojibase's groups, in its order; 2 ("component": bare skin tones, hair) is not offered. */
const GROUPS: Record<number, { name: string; icon: string }> = {
  0: { name: 'Smileys & emotion', icon: '😀' },
  1: { name: 'People & body', icon: '👋' },
  3: { name: 'Animals & nature', icon: '🐻' },
  4: { name: 'Food & drink', icon: '🍔' },
  5: { name: 'Travel & places', icon: '🚗' },
  6: { name: 'Activities', icon: '⚽' },
  7: { name: 'Objects', icon: '💡' },
  8: { name: 'Symbols', icon: '💯' },
  9: { name: 'Flags', icon: '🏁' },
};

/**
 * The RGI form of an emoji as emojibase spells it: its data adds U+FE0F to some emoji that are
 * RGI without it (👍️), so that is dropped when the bare form is the RGI one. Null when neither is.
 */
export function rgiForm(unicode: string): string | null {
  if (isEmoji(unicode)) return unicode;
  const bare = unicode.replace(/\uFE0F/g, '');
  return isEmoji(bare) ? bare : null;
}

export function buildCatalog(data: readonly CompactEmojiData[], shortcodes: ShortcodeData): EmojiCatalog {
  const entries: EmojiEntry[] = [];
  for (const item of [...data].sort((a, b) => (a.order ?? 0) - (b.order ?? 0))) {
    if (item.group === undefined || !(item.group in GROUPS)) continue;
    const emoji = rgiForm(item.unicode);
    if (emoji === null) continue;
    const codes = shortcodes[item.hexcode];
    // Five forms, light to dark; the 25 two-person mixes (🧑‍🤝‍🧑) are left at the default.
    const skins = (item.skins ?? []).map((skin) => rgiForm(skin.unicode));
    entries.push({
      emoji,
      name: item.label,
      shortcodes: codes === undefined ? [] : typeof codes === 'string' ? [codes] : codes,
      tags: item.tags ?? [],
      group: item.group,
      skins: skins.length === 5 && skins.every((skin) => skin !== null) ? (skins as string[]) : null,
    });
  }
  const byShortcode = new Map<string, EmojiEntry>();
  const byEmoji = new Map<string, EmojiEntry>();
  for (const entry of entries) {
    for (const code of entry.shortcodes) if (!byShortcode.has(code)) byShortcode.set(code, entry);
    byEmoji.set(entry.emoji, entry);
    for (const skin of entry.skins ?? []) byEmoji.set(skin, entry);
  }
  const groups = Object.entries(GROUPS).map(([id, group]) => ({ id: Number(id), ...group }));
  return { entries, groups, byShortcode, byEmoji };
}

/** The entry's emoji in `tone`, or as it is when it has no skin tones. */
export function withTone(entry: EmojiEntry, tone: SkinTone): string {
  return tone === 0 || entry.skins === null ? entry.emoji : (entry.skins[tone - 1] ?? entry.emoji);
}

/**
 * Emoji whose shortcode or name matches `query` (exact, prefix, word start, anywhere), then those
 * that only a tag matches: "party" finds 🎉 "party popper" before 😛, tagged "party".
 */
export function searchEmoji(catalog: EmojiCatalog, query: string, limit: number): EmojiEntry[] {
  const wanted = foldForMatch(query.trim());
  if (wanted === '') return [];
  const ranked: { entry: EmojiEntry; rank: number; index: number }[] = [];
  catalog.entries.forEach((entry, index) => {
    const direct = matchRank([...entry.shortcodes, entry.name], wanted);
    const tagged = direct === null ? matchRank(entry.tags, wanted) : null;
    const rank = direct ?? (tagged === null ? null : 4 + tagged);
    if (rank !== null) ranked.push({ entry, rank, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.slice(0, limit).map(({ entry }) => entry);
}

/** Emoji for the `:` autocomplete: by shortcode only, since that is what is being typed. */
export function searchShortcodes(catalog: EmojiCatalog, query: string, limit: number): EmojiEntry[] {
  return filterByQuery(
    catalog.entries.filter((entry) => entry.shortcodes.length > 0),
    query,
    (entry) => entry.shortcodes,
    limit,
  );
}
