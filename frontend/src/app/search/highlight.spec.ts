import { searchTerms } from '@flack/contract';
import { EXCERPT_CONTEXT, EXCERPT_LENGTH, highlightParts } from './highlight';

const parts = (text: string, query: string) => highlightParts(text, searchTerms(query));
/** The parts as one string with the marks in brackets, to read at a glance. */
const shown = (text: string, query: string) =>
  parts(text, query)
    .map((part) => (part.mark ? `[${part.text}]` : part.text))
    .join('');

describe('highlightParts', () => {
  it('marks each word the search asked for, as typed in the message', () => {
    expect(parts('Le CAFÉ est prêt', 'cafe pret')).toEqual([
      { text: 'Le ', mark: false },
      { text: 'CAFÉ', mark: true },
      { text: ' est ', mark: false },
      { text: 'prêt', mark: true },
    ]);
  });

  it('marks the whole word a query word starts, every time it comes', () => {
    expect(shown('Deploying: deploy, then DEPLOYED.', 'deploy')).toBe(
      '[Deploying]: [deploy], then [DEPLOYED].',
    );
  });

  it('keeps the text as it is, markup included, for the template to show as text', () => {
    expect(shown('<b>bold</b> & **bold**', 'bold')).toBe('<b>[bold]</b> & **[bold]**');
    expect(
      parts('<script>alert(1)</script>', 'alert')
        .map((part) => part.text)
        .join(''),
    ).toBe('<script>alert(1)</script>');
  });

  it('marks emoji and text in other scripts', () => {
    expect(shown('great 👍🏽 work', '👍')).toBe('great [👍🏽] work');
    expect(shown('שָׁלוֹם עולם', 'שלום')).toBe('[שָׁלוֹם] עולם');
  });

  it('shows the text unmarked when nothing matches any more (edited since)', () => {
    expect(parts('changed text', 'pizza')).toEqual([{ text: 'changed text', mark: false }]);
  });

  it('starts a long message a little before the first match, at a word', () => {
    const before = 'word '.repeat(40);
    const text = `${before}needle and more`;
    const result = parts(text, 'needle');
    expect(result[0]).toEqual({ text: '…', mark: false });
    const excerpt = result.map((part) => part.text).join('');
    expect(excerpt.endsWith('word needle and more')).toBe(true);
    expect(excerpt.length - 1).toBeLessThanOrEqual(EXCERPT_CONTEXT + 'needle and more'.length);
    expect(excerpt.charAt(1)).toBe('w');
  });

  it(`ends a long message after about ${EXCERPT_LENGTH} characters, never inside a marked word`, () => {
    const text = `needle ${'a'.repeat(EXCERPT_LENGTH - 10)} needlework ${'z'.repeat(500)}`;
    const result = parts(text, 'needle');
    expect(result.at(-1)).toEqual({ text: '…', mark: false });
    expect(result.filter((part) => part.mark).map((part) => part.text)).toEqual(['needle', 'needlework']);
    expect(result.map((part) => part.text).join('').length).toBeLessThan(EXCERPT_LENGTH + 10);
  });

  it('never cuts a character in two', () => {
    const text = `${'👍'.repeat(100)} needle`;
    const excerpt = parts(text, 'needle')
      .map((part) => part.text)
      .join('');
    expect(excerpt).not.toMatch(/\p{Cs}/u);
  });
});
