import { LIMITS } from './limits.js';

// Text rules the app and the server both apply: written once here, so the composer's count and the
// server's verdict cannot drift apart again (they did: graphemes on one side, code points on the other).

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
/** "2,000": how a person reads the limit. */
const MESSAGE_MAX = new Intl.NumberFormat('en').format(LIMITS.messageMaxLength);

/** Length as a person counts it: user-perceived characters, so 👍🏽, 👩‍👩‍👧‍👦 and 🇫🇷 are one each. */
export function countGraphemes(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * The key a display name or channel name is looked up by, case aside: NFKC, then a full case fold
 * approximated by upper-then-lower (so `Straße` and `STRASSE` are one name).
 */
export function nameKey(display: string): string {
  return display.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Why `text` cannot be sent as a message, in words for the person who wrote it; null when it can. */
export function messageTextProblem(text: string): string | null {
  if (!/\S/.test(text)) return 'A message cannot be empty.';
  // A grapheme is at least one UTF-16 unit, so a text this short is within the limit uncounted.
  if (text.length > LIMITS.messageMaxLength && countGraphemes(text) > LIMITS.messageMaxLength) {
    return `A message can be at most ${MESSAGE_MAX} characters.`;
  }
  return null;
}
