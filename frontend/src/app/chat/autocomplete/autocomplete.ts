// What the composer's autocomplete offers and what picking inserts: pure functions over the text
// and the caret, so the rules are tested without a browser.

import { LIMITS } from '@flack/contract';

/** `@` a person, `#` a channel, `:` an emoji shortcode. */
export type TriggerKind = '@' | '#' | ':';

/** The word being completed: from its sigil (`start`) to the caret (`end`), sigil excluded in `query`. */
export interface Trigger {
  kind: TriggerKind;
  start: number;
  end: number;
  query: string;
}

/** One row of the list: what it shows, what picking it inserts. */
export interface Suggestion {
  id: string;
  kind: TriggerKind;
  /** The main text (a name, a channel, an emoji's shortcode). */
  label: string;
  /** Shown after the label, muted ("online", "member", the emoji's name). */
  detail: string;
  /** Shown before the label: an emoji, or nothing. */
  symbol: string;
  /** What replaces the trigger and its query. */
  insert: string;
}

/** An emoji shortcode is offered from this many typed characters on (`:ta`), so `:)` or `a:b` stay quiet. */
export const SHORTCODE_MIN_QUERY = 2;
/** How many rows the list shows at most. */
export const MAX_SUGGESTIONS = 8;

/** The character class `@name` ends at, as in contract/src/mentions.ts: `@` after one is an address. */
const NAME_CHARACTER = /[\p{L}\p{N}\p{M}_-]/u;
const SHORTCODE_CHARACTERS = /^[\p{L}\p{N}_+-]*$/u;
/** Before `#` or `:`: the start, white space, an opening bracket or quote, or `+` (`+:thumbsup:`). */
const OPENS_A_WORD = /[\s([{"'+]/u;
const LONGEST_QUERY = Math.max(LIMITS.displayNameMaxLength, LIMITS.channelNameMaxLength);

/**
 * Case-, width- and accent-insensitive form for matching: `José` and `JOSE` both become `jose`.
 * NFKD splits accents off, which are then dropped; the result is only compared, never shown.
 */
export function foldForMatch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The `@`, `#` or `:` word the caret is in, or null. `@` follows mentions' rule (not after a name
 * character, so `bob@example.com` is no mention) and its query may hold spaces, since names do;
 * `#` and `:` start a word and hold no spaces. Only the nearest sigil on the caret's line counts.
 */
export function triggerAt(text: string, caret: number): Trigger | null {
  const floor = Math.max(0, caret - LONGEST_QUERY - 1);
  for (let at = caret - 1; at >= floor; at--) {
    const character = text[at];
    if (character === '\n') return null;
    if (character !== '@' && character !== '#' && character !== ':') continue;
    const kind: TriggerKind = character;
    const before = at > 0 ? text[at - 1] : undefined;
    const query = text.slice(at + 1, caret);
    if (kind === '@') {
      if (before !== undefined && NAME_CHARACTER.test(before)) return null;
      if (query.length > LIMITS.displayNameMaxLength || /^\s/u.test(query) || /\s\s/u.test(query))
        return null;
    } else {
      if (before !== undefined && !OPENS_A_WORD.test(before)) return null;
      if (/\s/u.test(query)) return null;
      if (kind === ':' && !SHORTCODE_CHARACTERS.test(query)) return null;
    }
    return { kind, start: at, end: caret, query };
  }
  return null;
}

/**
 * How well `query` (already folded) matches one of `keys`: 0 a key is it, 1 a key starts with it,
 * 2 a word in a key does, 3 a key contains it, null none.
 */
export function matchRank(keys: readonly string[], query: string): number | null {
  let best: number | null = null;
  for (const key of keys) {
    const folded = foldForMatch(key);
    const at = folded.indexOf(query);
    if (at === -1) continue;
    const rank =
      at === 0 ? (folded.length === query.length ? 0 : 1) : /[\s_\-.]/u.test(folded[at - 1] ?? '') ? 2 : 3;
    if (best === null || rank < best) best = rank;
    if (best === 0) break;
  }
  return best;
}

/**
 * The items matching `query`, best first (prefix, then word start, then anywhere), keeping the given
 * order among equals, at most `limit`. A query with a space matches from the start only, so a finished
 * `@Ann said hi` does not keep the list open.
 */
export function filterByQuery<T>(
  items: readonly T[],
  query: string,
  keysOf: (item: T) => readonly string[],
  limit = MAX_SUGGESTIONS,
): T[] {
  const wanted = foldForMatch(query);
  const strict = /\s/u.test(wanted);
  const ranked: { item: T; rank: number; index: number }[] = [];
  items.forEach((item, index) => {
    const rank = matchRank(keysOf(item), wanted);
    if (rank !== null && (!strict || rank <= 1)) ranked.push({ item, rank, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.slice(0, limit).map(({ item }) => item);
}

/**
 * The text with the trigger's word replaced by `insert`, and where the caret goes: right after it.
 * `@name` and `#channel` get a space after them (unless one follows already), so typing goes on
 * and the mention ends where contract/src/mentions.ts ends it.
 */
export function applySuggestion(
  text: string,
  trigger: Trigger,
  suggestion: Pick<Suggestion, 'kind' | 'insert'>,
): { text: string; caret: number } {
  const after = text.slice(trigger.end);
  const before = text.slice(0, trigger.start) + suggestion.insert;
  if (suggestion.kind === ':') return { text: before + after, caret: before.length };
  // A space already there is stepped over rather than doubled.
  const spaced = /^\s/u.test(after) ? after : ` ${after}`;
  return { text: before + spaced, caret: before.length + 1 };
}

/** Whether `index` is inside backticks on the text before it (inline code or a fence): no conversion there. */
export function insideCode(text: string, index: number): boolean {
  let ticks = 0;
  for (let at = 0; at < index; at++) if (text[at] === '`') ticks++;
  return ticks % 2 === 1;
}

/**
 * When the caret is just after a full `:shortcode:` that `emojiFor` knows, the text with the
 * emoji in its place and the caret after it; otherwise null. Called as the closing colon is typed.
 */
export function convertShortcodeBeforeCaret(
  text: string,
  caret: number,
  emojiFor: (shortcode: string) => string | null,
): { text: string; caret: number } | null {
  if (text[caret - 1] !== ':') return null;
  const open = text.lastIndexOf(':', caret - 2);
  if (open === -1 || caret - open - 2 < 1) return null;
  const code = text.slice(open + 1, caret - 1);
  if (!SHORTCODE_CHARACTERS.test(code)) return null;
  const before = open > 0 ? text[open - 1] : undefined;
  if (before !== undefined && !OPENS_A_WORD.test(before)) return null;
  if (insideCode(text, open)) return null;
  const emoji = emojiFor(code.toLowerCase());
  if (emoji === null) return null;
  return { text: text.slice(0, open) + emoji + text.slice(caret), caret: open + emoji.length };
}

/** Whether `text` holds something shaped like a `:shortcode:` (worth loading the emoji data for). */
export function mayHoldShortcodes(text: string): boolean {
  return /:[\p{L}\p{N}_+-]+:/u.test(text);
}

/**
 * Every full `:shortcode:` of `text` that `emojiFor` knows, outside code, replaced by its emoji:
 * on sending, for what was typed (or pasted) before the emoji data had arrived.
 */
export function convertShortcodes(text: string, emojiFor: (shortcode: string) => string | null): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(/:([\p{L}\p{N}_+-]+):/gu)) {
    const open = match.index;
    const before = open > 0 ? text[open - 1] : undefined;
    if (open < from || (before !== undefined && !OPENS_A_WORD.test(before)) || insideCode(text, open))
      continue;
    const emoji = emojiFor(match[1].toLowerCase());
    if (emoji === null) continue;
    out += text.slice(from, open) + emoji;
    from = open + match[0].length;
  }
  return out + text.slice(from);
}

/**
 * The emoji a whole message of `+👍` or `+:thumbsup:` reacts with, or null when it is a message.
 * `isEmoji` is the contract's rule, `emojiFor` resolves shortcodes.
 */
export function reactionIn(
  text: string,
  isEmoji: (candidate: string) => boolean,
  emojiFor: (shortcode: string) => string | null,
): string | null {
  const match = /^\+(\S+)$/u.exec(text.trim());
  if (!match) return null;
  const rest = match[1] ?? '';
  const code = /^:([\p{L}\p{N}_+-]+):$/u.exec(rest)?.[1];
  const emoji = code === undefined ? rest : emojiFor(code.toLowerCase());
  return emoji !== null && isEmoji(emoji) ? emoji : null;
}

/** Whether a message is a `+:shortcode:` whose emoji may not be known yet (the data still loading). */
export function looksLikeShortcodeReaction(text: string): boolean {
  return /^\+:[\p{L}\p{N}_+-]+:$/u.test(text.trim());
}
