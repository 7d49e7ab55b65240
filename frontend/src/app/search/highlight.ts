import { searchMatches } from '@flack/contract';

/** A run of a result's text: marked when it is a word the search asked for. */
export interface TextPart {
  text: string;
  mark: boolean;
}

/** Characters of context kept before the first match, and the longest excerpt shown. */
export const EXCERPT_CONTEXT = 60;
export const EXCERPT_LENGTH = 240;

const SPACE = /\s/u;

/** `at`, moved off the second half of a surrogate pair so no character is cut in two. */
function onCharacter(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xdc00 && code <= 0xdfff ? at + 1 : at;
}

/**
 * A message's text as a search result shows it: cut to an excerpt that starts a little before the
 * first match (at a word boundary) and ends after EXCERPT_LENGTH characters, with `…` where it was
 * cut, split into plain and marked parts. The marks are the contract's (`searchMatches`), so the
 * app marks exactly the words that made the server find the message. Parts are text, rendered as
 * text nodes inside `<mark>` or not, never as HTML.
 */
export function highlightParts(text: string, terms: readonly string[]): TextPart[] {
  const matches = searchMatches(text, terms);
  let start = 0;
  const first = matches[0]?.[0] ?? 0;
  if (first > EXCERPT_CONTEXT) {
    start = first - EXCERPT_CONTEXT;
    // Begin at the next word, unless that would pass the match.
    while (start < first && !SPACE.test(text[start - 1])) start++;
    // One long word before the match: cut inside it rather than lose the context.
    if (start === first && !SPACE.test(text[first - 1])) start = onCharacter(text, first - EXCERPT_CONTEXT);
  }
  let end = text.length;
  if (end - start > EXCERPT_LENGTH) {
    end = onCharacter(text, start + EXCERPT_LENGTH);
    // A match is never cut: the excerpt ends after the word it is in.
    const cut = matches.find(([from, to]) => from < end && to > end);
    if (cut) end = cut[1];
  }
  const parts: TextPart[] = [];
  const push = (from: number, to: number, mark: boolean) => {
    if (to > from) parts.push({ text: text.slice(from, to), mark });
  };
  let at = start;
  for (const [from, to] of matches) {
    if (to <= start || from >= end) continue;
    push(at, from, false);
    push(from, to, true);
    at = to;
  }
  push(at, end, false);
  if (start > 0) parts.unshift({ text: '…', mark: false });
  if (end < text.length) parts.push({ text: '…', mark: false });
  return parts;
}
