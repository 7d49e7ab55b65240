import { LIMITS } from './limits.js';
import { looksBlank } from './text.js';

// What a reply quotes of the message it answers: the server stores it with the reply, and the app
// shows the same preview in the composer's reply bar before the reply is sent.

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The first line of `text` that shows something, trimmed, cut to LIMITS.replyExcerptLength
 * graphemes: a cut one ends in `…` (counted in the limit). Empty when nothing shows (a message of
 * files only).
 */
export function replyExcerpt(text: string): string {
  const line =
    text
      .split(/\r\n|\r|\n/)
      .find((candidate) => !looksBlank(candidate))
      ?.trim() ?? '';
  // A grapheme is at least one UTF-16 unit, so a line this short is within the limit uncounted.
  if (line.length <= LIMITS.replyExcerptLength) return line;
  const kept: string[] = [];
  for (const { segment } of graphemes.segment(line)) {
    if (kept.length === LIMITS.replyExcerptLength) return `${kept.slice(0, -1).join('').trimEnd()}…`;
    kept.push(segment);
  }
  return line;
}
