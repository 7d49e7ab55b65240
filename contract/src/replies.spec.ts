import { describe, expect, it } from '@jest/globals';
import { LIMITS } from './limits.js';
import { replyExcerpt } from './replies.js';
import { countGraphemes } from './text.js';

describe('replyExcerpt', () => {
  it('quotes the first line that shows something, trimmed', () => {
    expect(replyExcerpt('  hello there  \nsecond line')).toBe('hello there');
    expect(replyExcerpt('\n   \n\u200B\r\n  lunch?\r\nok')).toBe('lunch?');
  });

  it('is empty when nothing shows', () => {
    expect(replyExcerpt('')).toBe('');
    expect(replyExcerpt(' \n\t\n')).toBe('');
  });

  it(`keeps a line of ${LIMITS.replyExcerptLength} characters whole`, () => {
    const line = '👍🏽'.repeat(LIMITS.replyExcerptLength);
    expect(replyExcerpt(line)).toBe(line);
  });

  it(`cuts a longer line to ${LIMITS.replyExcerptLength} characters as a person counts them, ending in …`, () => {
    const excerpt = replyExcerpt('👩‍👩‍👧‍👦'.repeat(LIMITS.replyExcerptLength + 1));
    expect(countGraphemes(excerpt)).toBe(LIMITS.replyExcerptLength);
    expect(excerpt).toBe(`${'👩‍👩‍👧‍👦'.repeat(LIMITS.replyExcerptLength - 1)}…`);
  });

  it('never splits a character or leaves a space before the …', () => {
    const words = 'word '.repeat(40);
    const excerpt = replyExcerpt(words);
    expect(excerpt.endsWith(' …')).toBe(false);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(replyExcerpt('e\u0301'.repeat(150))).toBe(`${'e\u0301'.repeat(LIMITS.replyExcerptLength - 1)}…`);
  });
});
