import { findMention } from '@flack/contract';

/** A piece of a message: shown as is, as a link, or highlighted as a mention of the reader. */
export type TextSegment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string };

/** A candidate link: `http://` or `https://` and everything up to the next space or angle bracket. */
export const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"]+/giu;
/** Sentence punctuation right after a link ("see https://x.example/a.") is not part of it. */
const TRAILING_PUNCTUATION = /[.,:;!?'"’”…*_~]$/u;

/** Trims what ends a sentence rather than the URL: punctuation, and a `)` or `]` it did not open. */
export function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1);
    if (last !== undefined && TRAILING_PUNCTUATION.test(last)) {
      url = url.slice(0, -1);
    } else if (last === ')' && count(url, '(') < count(url, ')')) {
      url = url.slice(0, -1);
    } else if (last === ']' && count(url, '[') < count(url, ']')) {
      url = url.slice(0, -1);
    } else {
      return url;
    }
  }
}

function count(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** The address a link opens, or null when the text is not a web address (http or https) after all. */
export function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
    return url.href;
  } catch {
    return null;
  }
}

function splitMentions(text: string, name: string | null, into: TextSegment[]): void {
  let rest = 0;
  if (name !== null) {
    for (let found = findMention(text, name, 0); found; found = findMention(text, name, rest)) {
      const [start, end] = found;
      if (start > rest) into.push({ kind: 'text', text: text.slice(rest, start) });
      into.push({ kind: 'mention', text: text.slice(start, end) });
      rest = end;
    }
  }
  if (rest < text.length) into.push({ kind: 'text', text: text.slice(rest) });
}

/**
 * A message's text in segments: web links (http and https only, nothing else becomes a link) and
 * `@mentions` of `mentionName`; everything else is plain text. Newlines stay in the text.
 * With `links: false` (text that already is a link's label) only mentions are found.
 */
export function segmentMessage(
  text: string,
  mentionName: string | null,
  { links = true }: { links?: boolean } = {},
): TextSegment[] {
  const segments: TextSegment[] = [];
  let rest = 0;
  if (links) {
    for (const match of text.matchAll(URL_CANDIDATE)) {
      const start = match.index;
      // `xhttps://…` or `javascript:https://…` is not a link that starts here.
      if (start < rest || (start > 0 && /[\p{L}\p{N}:/]/u.test(text[start - 1]))) continue;
      const url = trimUrl(match[0]);
      const href = safeHref(url);
      if (href === null) continue;
      splitMentions(text.slice(rest, start), mentionName, segments);
      segments.push({ kind: 'link', text: url, href });
      rest = start + url.length;
    }
  }
  splitMentions(text.slice(rest), mentionName, segments);
  return segments;
}
