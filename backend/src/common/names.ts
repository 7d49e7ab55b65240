import { INVISIBLE_CHARACTER, LONE_SURROGATE, countGraphemes, nameKey } from '@flack/contract';
import unhomoglyph from 'unhomoglyph';
import { AppError } from './app-error.js';

/**
 * A name as shown (`display`), as looked up (`key`: case-insensitive) and as held unique
 * (`skeleton`: two names that look alike, such as Latin `alice` and Cyrillic `аlice`, share one).
 */
export interface NormalizedName {
  display: string;
  key: string;
  skeleton: string;
}

// The rules follow the PRECIS nickname profile (RFC 8266 over the FreeformClass of RFC 8264),
// written with the engine's own Unicode properties rather than a list of our own, with one
// deliberate difference: a recommended emoji sequence (RGI_Emoji: ZWJ sequences, skin tones,
// flags, keycaps, tag sequences) is one visible character, although PRECIS refuses the joiners,
// variation selectors and tags inside it. (Conjoining Hangul jamo, refused by PRECIS, are allowed:
// NFKC has already composed every modern syllable, and "ㅋㅋㅋ" becomes jamo under NFKC.)

// Built with `new RegExp`: TypeScript accepts a `v`-flag literal only when it targets ES2024.
const RGI_EMOJI = new RegExp(String.raw`\p{RGI_Emoji}`, 'gv');
/** What an emoji sequence stands for while the text around it is checked: one visible symbol. */
const EMOJI_STAND_IN = '\u25A1';
const SPACE_SEPARATOR = /\p{Zs}/gu;
const SPACE_RUN = / {2,}/g;
/** Unassigned (so of unknown look and properties), private-use and noncharacter code points. */
const UNKNOWN_CHARACTER = /[\p{Cn}\p{Co}\p{Noncharacter_Code_Point}]/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** Marks drawn on the character before them, once letters are decomposed (NFD). */
const NONSPACING_MARKS = /[\p{Mn}\p{Me}]+/gu;
/**
 * UTS #39 (section 5.4) forbids more than four nonspacing marks in a row: the deepest stacks of real
 * writing (Hebrew points with a cantillation mark, Tibetan subjoined letters) stay within it, and
 * "Zalgo" text, which draws over the lines around it, does not.
 */
const MAX_MARKS_PER_CHARACTER = 4;
/** Arabic tatweel and N'Ko lajanyalan only stretch the letters they join (PRECIS refuses them). */
const ELONGATION = /[\u0640\u07FA]/gu;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/**
 * Unicode TS #39 skeleton of a case-folded key: NFD, drop Default_Ignorable code points, map every
 * confusable character to its prototype (Unicode's confusables data, through `unhomoglyph`), NFD
 * again. Elongation marks are dropped too, so `علـــي` holds `علي`. Not for display.
 */
export function confusableSkeleton(key: string): string {
  const decomposed = key.normalize('NFD').replace(DEFAULT_IGNORABLE, '').replace(ELONGATION, '');
  return unhomoglyph(decomposed).normalize('NFD');
}

/**
 * RFC 8266's preparation: NFKC (so `Ｇｅｎｅｒａｌ` is `General`), every space separator made a
 * plain space, no space at either end and never two in a row, since a page shows `a  b` as `a b`.
 * Emoji sequences are kept as typed: NFKC would turn ™️ into `TM` and leave its variation selector.
 */
function prepare(raw: string): string {
  let prepared = '';
  let end = 0;
  for (const emoji of raw.matchAll(RGI_EMOJI)) {
    prepared += raw.slice(end, emoji.index).normalize('NFKC') + emoji[0];
    end = emoji.index + emoji[0].length;
  }
  prepared += raw.slice(end).normalize('NFKC');
  return prepared.replace(SPACE_SEPARATOR, ' ').trim().replace(SPACE_RUN, ' ');
}

export interface NameRules {
  /** How error messages call it: "Display name", "Channel name". */
  label: string;
  /** The payload field the error is reported against. */
  field: string;
  maxLength: number;
}

/** Validates and normalises a display name or channel name; throws INVALID with a clear message. */
export function normalizeName(raw: string, { label, field, maxLength }: NameRules): NormalizedName {
  const invalid = (message: string) => new AppError('INVALID', message, { details: { [field]: [message] } });
  if (LONE_SURROGATE.test(raw)) {
    throw invalid(`${label} must not contain broken characters.`);
  }
  const display = prepare(raw);
  if (display.length === 0) {
    throw invalid(`${label} must not be empty.`);
  }
  const text = display.replace(RGI_EMOJI, EMOJI_STAND_IN);
  if (INVISIBLE_CHARACTER.test(text.replaceAll(' ', ''))) {
    throw invalid(`${label} must not contain control, bidirectional or invisible characters.`);
  }
  if (UNKNOWN_CHARACTER.test(text)) {
    throw invalid(`${label} must not contain unassigned or private-use characters.`);
  }
  if (!VISIBLE.test(text)) {
    throw invalid(`${label} must contain at least one visible letter, digit or symbol.`);
  }
  for (const [marks] of text.normalize('NFD').matchAll(NONSPACING_MARKS)) {
    const stack = [...marks];
    if (stack.length > MAX_MARKS_PER_CHARACTER) {
      throw invalid(`${label} has too many accents on one character.`);
    }
    if (new Set(stack).size < stack.length) {
      throw invalid(`${label} must not have the same accent twice on one character.`);
    }
  }
  if (countGraphemes(display) > maxLength) {
    throw invalid(`${label} must be at most ${maxLength} characters.`);
  }
  const key = nameKey(display);
  return { display, key, skeleton: confusableSkeleton(key) };
}
