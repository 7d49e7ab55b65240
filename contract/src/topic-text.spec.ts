import { describe, expect, it } from '@jest/globals';
import { LIMITS } from './limits.js';
import { normalizeTopic, topicProblem } from './text.js';

describe('topicProblem', () => {
  it.each([
    ['plain text', 'Release planning, Thursdays'],
    ['an empty topic (it clears the topic)', ''],
    ['a blank topic (it clears it too)', ' \u200B\u3164 '],
    ['white space around it', '  on call: Dana\n'],
    ['right-to-left text', 'שלום עולם'],
    ['250 characters counted as a person counts them', '👩‍👩‍👧‍👦'.repeat(LIMITS.topicMaxLength)],
  ])('accepts %s', (_, topic) => {
    expect(topicProblem(topic)).toBeNull();
  });

  it.each([
    ['251 characters', 'x'.repeat(LIMITS.topicMaxLength + 1), 'A topic can be at most 250 characters.'],
    ['a line break inside it', 'first\nsecond', 'A topic must fit on one line.'],
    ['a line separator inside it', 'first\u2028second', 'A topic must fit on one line.'],
    ['half of a surrogate pair', 'broken \uD83D here', 'A topic cannot contain broken characters.'],
  ])('refuses %s, in words', (_, topic, problem) => {
    expect(topicProblem(topic)).toBe(problem);
  });
});

describe('normalizeTopic', () => {
  it('trims the ends and turns a blank topic into no topic', () => {
    expect(normalizeTopic('  Deploys on Fridays  ')).toBe('Deploys on Fridays');
    expect(normalizeTopic(' \u200B ')).toBe('');
  });
});
