import { LIMITS } from './limits.js';

// Text rules the app and the server both apply: written once here, so the composer's count and the
// server's verdict cannot drift apart again (they did: graphemes on one side, code points on the other).

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** "2,000": how a person reads the limit. */
const MESSAGE_MAX = new Intl.NumberFormat('en').format(LIMITS.messageMaxLength);
const TOPIC_MAX = new Intl.NumberFormat('en').format(LIMITS.topicMaxLength);

/** Length as a person counts it: user-perceived characters, so 👍🏽, 👩‍👩‍👧‍👦 and 🇫🇷 are one each. */
export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** ASCII without A-Z: both normalisations and both case mappings leave such a text as it is. */
const ASCII_WITHOUT_CAPITALS = /^[\0-@[-\x7f]*$/;

/**
 * The key a display name or channel name is looked up by, case aside: NFKC, then a full case fold
 * approximated by upper-then-lower (so `Straße` and `STRASSE` are one name).
 */
export function nameKey(display: string): string {
  // Already a key: the common case, every channel a message is sent to.
  if (ASCII_WITHOUT_CAPITALS.test(display)) return display;
  return display.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/**
 * A character that draws nothing: white space; Unicode's Default_Ignorable_Code_Point (zero-width
 * spaces and joiners, soft hyphen, combining grapheme joiner, variation selectors, tag characters,
 * Mongolian vowel separator, Khmer inherent vowels, Hangul fillers, bidi controls, and the ranges
 * Unicode reserves for more of them); other control and format characters; and the graphic
 * characters that fonts draw empty (Braille blank U+2800, musical null notehead U+1D159). The
 * Hangul fillers are Default_Ignorable already and are named again only so no one wonders.
 */
const INVISIBLE_CLASS = String.raw`\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800\u{1D159}`;
export const INVISIBLE_CHARACTER = new RegExp(`[${INVISIBLE_CLASS}]`, 'u');
const VISIBLE_CHARACTER = new RegExp(`[^${INVISIBLE_CLASS}]`, 'u');
/** Half of a UTF-16 pair without the other half: no character at all, and UTF-8 cannot store it. */
export const LONE_SURROGATE = /\p{Cs}/u;

/** True when `text` shows nothing to the eye: it is empty or made only of invisible characters. */
export function looksBlank(text: string): boolean {
  return !VISIBLE_CHARACTER.test(text);
}

/** Why `text` cannot be sent as a message, in words for the person who wrote it; null when it can. */
export function messageTextProblem(text: string): string | null {
  if (looksBlank(text)) return 'A message cannot be empty.';
  // Refused rather than replaced with U+FFFD: the server stores what the composer showed, or
  // nothing, and no browser's text box produces one; only a hand-made client does.
  if (LONE_SURROGATE.test(text)) return 'A message cannot contain broken characters.';
  // A grapheme is at least one UTF-16 unit, so a text this short is within the limit uncounted.
  if (text.length > LIMITS.messageMaxLength && countGraphemes(text) > LIMITS.messageMaxLength) {
    return `A message can be at most ${MESSAGE_MAX} characters.`;
  }
  return null;
}

/** A line break of any kind: a topic is shown on one line. */
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/u;

/**
 * The topic as stored: without white space at either end, and '' (no topic) when it shows nothing,
 * since an empty or blank topic clears it.
 */
export function normalizeTopic(topic: string): string {
  return looksBlank(topic) ? '' : topic.trim();
}

/**
 * Why `topic` cannot be a channel's topic, in words for the person who wrote it; null when it can.
 * The message rules, except that blank is allowed (it clears the topic) and it is one line.
 */
export function topicProblem(topic: string): string | null {
  const trimmed = normalizeTopic(topic);
  if (trimmed === '') return null;
  if (LONE_SURROGATE.test(trimmed)) return 'A topic cannot contain broken characters.';
  if (LINE_BREAK.test(trimmed)) return 'A topic must fit on one line.';
  if (trimmed.length > LIMITS.topicMaxLength && countGraphemes(trimmed) > LIMITS.topicMaxLength) {
    return `A topic can be at most ${TOPIC_MAX} characters.`;
  }
  return null;
}
