import { describe, expect, it } from '@jest/globals';
import { isEmoji } from './emoji.js';

describe('isEmoji', () => {
  it.each(['👍', '👍🏽', '👩‍💻', '👩‍👩‍👧‍👦', '🇫🇷', '1️⃣', '❤️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'])('takes one emoji: %s', (emoji) => {
    expect(isEmoji(emoji)).toBe(true);
  });

  it.each(['', 'a', ':tada:', '👍👍', ' 👍', '👍 ', '❤', '<b>', '\u200d', 'x'.repeat(100)])(
    'refuses anything else: %j',
    (text) => {
      expect(isEmoji(text)).toBe(false);
    },
  );
});
