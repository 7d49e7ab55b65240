import { LIMITS } from './limits.js';
import { looksBlank } from './text.js';

// The search rule both sides apply: the server finds messages with it and the app highlights with
// it, so what is marked in a result is exactly what made the server answer with it.

const words = new Intl.Segmenter('und', { granularity: 'word' });
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** Combining marks (accents, Hebrew points, variation selectors): dropped so `é`, `e` and `É` are one. */
const MARKS = /\p{M}+/gu;
/** Typographic apostrophes, read as the one on the keyboard (`don’t` is `don't`). */
const APOSTROPHES = /[\u2018\u2019\u02BC]/g;
/** A segment with something in it besides white space, punctuation and invisible characters is a word. */
const WORD_CONTENT = /[^\p{White_Space}\p{P}\p{Cc}\p{Cf}\p{Z}]/u;
/**
 * Scripts written without spaces between words, where the segmenter's dictionary may cut a text
 * differently in a sentence than alone: a search word of these matches anywhere inside a word.
 */
const UNSPACED_SCRIPT =
  /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}]/u;
/** Text with nothing but ASCII in it. */
const ASCII = /^[^\u0080-\uffff]*$/;
/** "200": how a person reads the limit. */
const QUERY_MAX = new Intl.NumberFormat('en').format(LIMITS.searchQueryMaxLength);

/**
 * Text as search compares it: compatibility-decomposed (NFKD, so `ﬁ` is `fi` and `①` is `1`),
 * without combining marks (accents aside), case-folded (upper then lower, so `Straße` is `strasse`;
 * final sigma as any sigma). Character by character: folding a text folds each of its characters.
 */
export function foldForSearch(text: string): string {
  // Most text is ASCII, where all of the below comes down to lower case.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(/ς/g, 'σ')
    .replace(APOSTROPHES, "'");
}

/** The words of already folded text: Unicode's word boundaries, without white space and punctuation. */
function* foldedWords(folded: string): Generator<Intl.SegmentData> {
  for (const piece of words.segment(folded)) if (WORD_CONTENT.test(piece.segment)) yield piece;
}

/** The distinct folded words a query asks for, in the order typed. */
export function searchTerms(query: string): string[] {
  return [...new Set(Array.from(foldedWords(foldForSearch(query)), (word) => word.segment))];
}

/** Whether `text` is longer than `max` graphemes, counting no further than needed. */
function longerThan(text: string, max: number): boolean {
  // A grapheme is at least one UTF-16 unit, so a text this short is within the limit uncounted.
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of graphemes.segment(text)) if (++count > max) return true;
  return false;
}

/** Why `query` cannot be searched for, in words for the person who typed it; null when it can. */
export function searchQueryProblem(query: string): string | null {
  if (looksBlank(query)) return 'Type a word to search for.';
  if (longerThan(query, LIMITS.searchQueryMaxLength))
    return `A search can be at most ${QUERY_MAX} characters.`;
  if (searchTerms(query).length === 0) return 'Type a word to search for, not only punctuation.';
  return null;
}

/** A search term, ready to look for in folded text. */
interface Term {
  text: string;
  /** See UNSPACED_SCRIPT: found anywhere inside a word, not only at its start. */
  inside: boolean;
}

function prepare(terms: readonly string[]): Term[] {
  return terms.map((text) => ({ text, inside: UNSPACED_SCRIPT.test(text) }));
}

/**
 * Each word of `folded` that `term` asks for (one that starts with it, or contains it, see
 * UNSPACED_SCRIPT), as `[start, end)` in `folded`. Looks only where the term occurs and asks the
 * segmenter for the word there (`containing`), rather than walking every word of a long text.
 */
function* wordsFor(folded: string, segments: Intl.Segments, term: Term): Generator<[number, number]> {
  for (let at = folded.indexOf(term.text); at !== -1; at = folded.indexOf(term.text, at + 1)) {
    const word = segments.containing(at);
    if (!word) break;
    const end = word.index + word.segment.length;
    const fits = at + term.text.length <= end && (term.inside || word.index === at);
    if (!fits || !WORD_CONTENT.test(word.segment)) continue;
    yield [word.index, end];
    // One answer per word: go on after it.
    at = end - 1;
  }
}

/**
 * Whether `text` has a word for each of `terms` (from searchTerms): a word that starts with the
 * term, case and accents aside. No terms match nothing.
 */
export function matchesSearch(text: string, terms: readonly string[]): boolean {
  if (terms.length === 0) return false;
  const folded = foldForSearch(text);
  // Cheap first: every term must be somewhere in the folded text before its words are looked at.
  if (!terms.every((term) => folded.includes(term))) return false;
  const segments = words.segment(folded);
  return prepare(terms).every((term) => !wordsFor(folded, segments, term).next().done);
}

/**
 * `text` folded, with where each folded UTF-16 unit came from: the start and end, in `text`, of
 * the character it is the fold of (folding goes character by character).
 */
function foldWithOrigins(text: string): { folded: string; starts: number[]; ends: number[] } {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at < text.length;) {
    const code = text.codePointAt(at)!;
    const next = at + (code > 0xffff ? 2 : 1);
    // Most text is ASCII, where a letter's fold is its lower case.
    const piece = code < 0x80 ? String.fromCharCode(code).toLowerCase() : foldForSearch(text.slice(at, next));
    folded += piece;
    // A character that folds to nothing (a combining accent) goes with the one before it.
    if (piece === '' && ends.length > 0) ends[ends.length - 1] = next;
    for (let i = 0; i < piece.length; i++) {
      starts.push(at);
      ends.push(next);
    }
    at = next;
  }
  return { folded, starts, ends };
}

/**
 * The words of `text` that one of `terms` asks for, as `[start, end)` indexes into `text` as
 * written, in order, each once: what the app marks in a search result.
 */
export function searchMatches(text: string, terms: readonly string[]): [number, number][] {
  if (terms.length === 0) return [];
  const { folded, starts, ends } = foldWithOrigins(text);
  const segments = words.segment(folded);
  const found = new Map<number, number>();
  for (const term of prepare(terms)) {
    for (const [start, end] of wordsFor(folded, segments, term)) found.set(start, end);
  }
  return [...found]
    .sort(([a], [b]) => a - b)
    .map(([start, end]): [number, number] => [starts[start], ends[end - 1]]);
}
