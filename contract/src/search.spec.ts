import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LIMITS } from './limits.js';
import { foldForSearch, matchesSearch, searchMatches, searchQueryProblem, searchTerms } from './search.js';

/** The marked words of `text` for `query`, as the app shows them. */
function marked(text: string, query: string): string[] {
  return searchMatches(text, searchTerms(query)).map(([start, end]) => text.slice(start, end));
}

function matches(text: string, query: string): boolean {
  return matchesSearch(text, searchTerms(query));
}

describe('foldForSearch', () => {
  it.each([
    ['accents', 'Crème BRÛLÉE', 'creme brulee'],
    ['a decomposed accent', 'e\u0301te\u0301', 'ete'],
    ['a sharp s', 'Straße', 'strasse'],
    ['a ligature and full-width letters', 'ﬁｎｅ', 'fine'],
    ['Hebrew points', 'שָׁלוֹם', 'שלום'],
    ['a final sigma', 'ΟΔΟΣ οδος', 'οδοσ οδοσ'],
    ['a typographic apostrophe', 'Don’t', "don't"],
    ['an emoji variation selector', '❤️', '❤'],
  ])('folds %s', (_, text, folded) => {
    expect(foldForSearch(text)).toBe(folded);
  });
});

describe('searchTerms', () => {
  it.each([
    ['words between spaces and punctuation', 'Hello, world!', ['hello', 'world']],
    ['each word once', 'ha HA Há', ['ha']],
    ['an apostrophe inside a word', 'don’t', ["don't"]],
    ['a hyphenated word as its parts', 'e-mail', ['e', 'mail']],
    ['emoji, skin tone kept', '👍🏽 🎉', ['👍🏽', '🎉']],
    ['Hebrew', 'שלום עולם', ['שלום', 'עולם']],
    ['Japanese by its dictionary', '東京都', ['東京', '都']],
    ['no words in punctuation', '?!… — ...', []],
  ])('finds %s', (_, query, terms) => {
    expect(searchTerms(query)).toEqual(terms);
  });
});

describe('matchesSearch', () => {
  it.each([
    ['a word', 'We ship on Friday', 'friday'],
    ['every word, in any order', 'The release is on Friday', 'friday release'],
    ['accents and case aside, both ways', 'Le CAFÉ est prêt', 'cafe PRET'],
    ['the start of a word', 'deployment done', 'deploy'],
    ['a word next to punctuation', 'Is it done?!', 'done'],
    ['inside markdown', '**urgent**: call `deploy`', 'urgent deploy'],
    ['an emoji', 'great 👍🏽 work', '👍🏽'],
    ['an emoji without its skin tone', 'great 👍🏽 work', '👍'],
    ['a heart with or without the emoji presentation', 'I ❤ it', '❤️'],
    ['Hebrew without points', 'שָׁלוֹם לכולם', 'שלום'],
    ['Chinese inside a longer word', '我们明天去北京大学', '北京'],
    ['Japanese', '東京都に行きます', '東京'],
    ['a curly apostrophe for a straight one', 'I don’t know', "don't"],
  ])('finds %s', (_, text, query) => {
    expect(matches(text, query)).toBe(true);
  });

  it.each([
    ['a missing word', 'The release is on Friday', 'friday monday'],
    ['a word only in the middle of another', 'concatenate', 'cat'],
    ['a word split across two', 'foo bar', 'foobar'],
    ['a query of punctuation only', 'what?!', '?!'],
  ])('does not find %s', (_, text, query) => {
    expect(matches(text, query)).toBe(false);
  });

  it('finds every text with the very words it is made of', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (text) => {
        const terms = searchTerms(text);
        fc.pre(terms.length > 0);
        expect(matchesSearch(text, terms)).toBe(true);
      }),
    );
  });
});

describe('searchMatches', () => {
  it('marks each word a term asks for, where it stands in the text as written', () => {
    expect(marked('Café, café and CAFÉS!', 'cafe')).toEqual(['Café', 'café', 'CAFÉS']);
    expect(marked('un 👍🏽 pour l’équipe', "l'equipe 👍")).toEqual(['👍🏽', 'l’équipe']);
    // Folding changes lengths (a ligature becomes two letters, an accent goes): the marks do not move.
    expect(marked('ﬁne déjà vu, STRASSE', 'fine deja straße')).toEqual(['ﬁne', 'déjà', 'STRASSE']);
    expect(marked('我们明天去北京大学', '北京')).toEqual(['北京']);
  });

  it('marks nothing for no terms', () => {
    expect(searchMatches('anything', [])).toEqual([]);
  });

  it('keeps indexes inside the text, in order and apart', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 10 }), (text, query) => {
        let last = 0;
        for (const [start, end] of searchMatches(text, searchTerms(query))) {
          expect(start).toBeGreaterThanOrEqual(last);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(text.length);
          last = end;
        }
      }),
    );
  });
});

describe('searchQueryProblem', () => {
  it.each([
    ['a word', 'hello'],
    ['an emoji', '🎉'],
    [`${LIMITS.searchQueryMaxLength} letters`, 'a'.repeat(LIMITS.searchQueryMaxLength)],
    [`${LIMITS.searchQueryMaxLength} flags`, '🇫🇷'.repeat(LIMITS.searchQueryMaxLength)],
  ])('accepts %s', (_, query) => {
    expect(searchQueryProblem(query)).toBeNull();
  });

  it.each([
    ['nothing', '', 'Type a word to search for.'],
    ['white space', ' \t\n', 'Type a word to search for.'],
    ['zero-width spaces', '\u200B\u200B', 'Type a word to search for.'],
    ['punctuation only', '?!', 'Type a word to search for, not only punctuation.'],
    [
      `${LIMITS.searchQueryMaxLength + 1} letters`,
      'a'.repeat(LIMITS.searchQueryMaxLength + 1),
      'A search can be at most 200 characters.',
    ],
    ['10,000 letters', 'a'.repeat(10_000), 'A search can be at most 200 characters.'],
  ])('refuses %s', (_, query, problem) => {
    expect(searchQueryProblem(query)).toBe(problem);
  });
});
