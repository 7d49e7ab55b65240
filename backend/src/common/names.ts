import { nameKey } from '@flack/contract';
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

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

// Characters that make a name lie about itself: control characters, bidi controls (which reorder
// what is shown), and zero-width or other invisible format characters (which make two different
// names look alike).
const FORBIDDEN_IN_NAMES = /[\p{Cc}\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;
/** A zero-width joiner inside an emoji sequence (👩‍👩‍👧) is part of one visible character. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const COMBINING_MARK = /\p{M}/gu;
/** More marks than this on one character is "Zalgo" text that draws over its neighbours. */
const MAX_MARKS_PER_CHARACTER = 3;

/**
 * Unicode TS #39 skeleton of a case-folded key: NFD, map every confusable character to its
 * prototype (Unicode's confusables data, through `unhomoglyph`), NFD again. Not for display.
 */
export function confusableSkeleton(key: string): string {
  return unhomoglyph(key.normalize('NFD')).normalize('NFD');
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
  const display = raw.normalize('NFKC').trim();
  if (display.length === 0) {
    throw invalid(`${label} must not be empty.`);
  }
  if (FORBIDDEN_IN_NAMES.test(display.replace(EMOJI_JOINER, ''))) {
    throw invalid(`${label} must not contain control, bidirectional or invisible characters.`);
  }
  if (!VISIBLE.test(display)) {
    throw invalid(`${label} must contain at least one visible letter, digit or symbol.`);
  }
  let length = 0;
  for (const { segment } of graphemes.segment(display)) {
    length++;
    if ((segment.match(COMBINING_MARK)?.length ?? 0) > MAX_MARKS_PER_CHARACTER) {
      throw invalid(`${label} has too many accents on one character.`);
    }
  }
  if (length > maxLength) {
    throw invalid(`${label} must be at most ${maxLength} characters.`);
  }
  const key = nameKey(display);
  return { display, key, skeleton: confusableSkeleton(key) };
}
