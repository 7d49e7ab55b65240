import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

/** Random bytes for 256 ids at a time, as `crypto.randomUUID` keeps its own. */
const pool = Buffer.allocUnsafe(16 * 256);
let next = pool.length;
const text = Buffer.allocUnsafe(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * A random UUID (version 4, RFC 9562), as `crypto.randomUUID()` makes one, for the id of every
 * message. `randomUUID` joins its 36 characters from twenty pieces, and each join is a string of
 * its own until the id is first read whole (about 600 bytes of garbage and a copy per id, measured
 * on the send path, docs/performance.md); this one writes the characters into a buffer and reads
 * them out as one string.
 */
export function randomId(): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next;
  next += 16;
  pool[at + 6] = (pool[at + 6]! & 0x0f) | 0x40; // version 4
  pool[at + 8] = (pool[at + 8]! & 0x3f) | 0x80; // variant 10xx
  let out = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[out++] = 0x2d; // '-'
    const byte = pool[at + i]!;
    text[out++] = HEX[byte >> 4]!;
    text[out++] = HEX[byte & 0x0f]!;
  }
  return text.toString('latin1', 0, 36);
}
