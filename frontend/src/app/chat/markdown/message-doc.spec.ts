import { MAX_BLOCK_DEPTH } from './bounded-lexer';
import {
  buildMessageDoc,
  excerptText,
  messageDoc,
  visibleText,
  type BlockNode,
  type Line,
  type LinePiece,
  type Run,
} from './message-doc';

const doc = (text: string, mentionName: string | null = null) => buildMessageDoc(text, mentionName);
/** The line of a message of one paragraph. */
function line(text: string, mentionName: string | null = null): Line {
  const { blocks, inline } = doc(text, mentionName);
  expect(inline).toBe(true);
  const [paragraph] = blocks;
  if (paragraph.kind !== 'paragraph') throw new Error(`not a paragraph: ${paragraph.kind}`);
  return paragraph.line;
}
/** A runs piece: `runs(['bold', 'b'], [' plain'])`. */
const runs = (...pieces: [string, string?][]): LinePiece => ({
  kind: 'runs',
  runs: pieces.map(([text, look = '']) => ({ text, look })),
});
const mention = (text: string, look = ''): LinePiece => ({ kind: 'mention', text, look });
const link = (href: string, ...label: Run[]): LinePiece => ({ kind: 'link', href, runs: label });
const run = (text: string, look = ''): Run => ({ text, look });
const paragraph = (...pieces: LinePiece[]): BlockNode => ({ kind: 'paragraph', line: pieces });
const plain = (text: string): BlockNode => paragraph(runs([text]));

const visible = visibleText;

/** How deep quotes and lists go. */
function depth(blocks: BlockNode[]): number {
  let deepest = 0;
  for (const block of blocks) {
    if (block.kind === 'quote') deepest = Math.max(deepest, 1 + depth(block.children));
    if (block.kind === 'list') for (const item of block.items) deepest = Math.max(deepest, 1 + depth(item));
  }
  return deepest;
}

describe('buildMessageDoc', () => {
  describe('the formatting it offers', () => {
    it('makes bold, italic, strikethrough and inline code', () => {
      expect(line('**bold** *it* _it_ ~~gone~~ `a <b> c`')).toEqual([
        runs(
          ['bold', 'b'],
          [' '],
          ['it', 'i'],
          [' '],
          ['it', 'i'],
          [' '],
          ['gone', 's'],
          [' '],
          ['a <b> c', 'code'],
        ),
      ]);
    });

    it('combines nested emphasis in one run', () => {
      expect(line('***both*** **bold _and it_ `code`**')).toEqual([
        runs(['both', 'b i'], [' '], ['bold ', 'b'], ['and it', 'b i'], [' ', 'b'], ['code', 'b code']),
      ]);
    });

    it('keeps line breaks and spaces', () => {
      expect(line('  two lines:\nthe  second one  ')).toEqual([runs(['  two lines:\nthe  second one  '])]);
    });

    it('makes a fenced code block of what is between the fences, as typed', () => {
      const { blocks, inline } = doc('look:\n```ts\nconst a = **b** <i>;\n  indented\n```\nok');
      expect(inline).toBe(false);
      expect(blocks).toEqual([
        plain('look:'),
        { kind: 'code', text: 'const a = **b** <i>;\n  indented' },
        plain('ok'),
      ]);
    });

    it('makes a code block of an unclosed fence, to the end of the message', () => {
      expect(doc('```\nnever closed\n**still code**').blocks).toEqual([
        { kind: 'code', text: 'never closed\n**still code**' },
      ]);
    });

    it('keeps right-to-left text in code as it is', () => {
      expect(doc('```\nשלום = "עולם"\nمرحبا()\n```').blocks).toEqual([
        { kind: 'code', text: 'שלום = "עולם"\nمرحبا()' },
      ]);
    });

    it('makes block quotes, nested too', () => {
      expect(doc('> said\n> > before\n\nme').blocks).toEqual([
        { kind: 'quote', children: [plain('said'), { kind: 'quote', children: [plain('before')] }] },
        plain('me'),
      ]);
    });

    it('quotes only the lines that start with >, as chats do: the next line is the answer', () => {
      expect(doc('> Notify me about\nYes, shipping that').blocks).toEqual([
        { kind: 'quote', children: [plain('Notify me about')] },
        plain('Yes, shipping that'),
      ]);
      expect(doc('> one\n> two\nthree').blocks).toEqual([
        { kind: 'quote', children: [plain('one\ntwo')] },
        plain('three'),
      ]);
    });

    it('leaves > inside fenced code as typed', () => {
      expect(doc('```\n> not a quote\nnext\n```').blocks).toEqual([
        { kind: 'code', text: '> not a quote\nnext' },
      ]);
    });

    it('shows a reply excerpt as read, without its marks', () => {
      expect(excerptText('**Plan** for _the_ `settings` page')).toBe('Plan for the settings page');
      expect(excerptText('1. Group the toggles')).toBe('Group the toggles');
      expect(excerptText('<b>not bold</b>')).toBe('<b>not bold</b>');
    });

    it('makes ordered and unordered lists, with where an ordered list starts', () => {
      expect(doc('- one\n- **two**\n  - nested').blocks).toEqual([
        {
          kind: 'list',
          ordered: false,
          start: null,
          items: [
            [plain('one')],
            [
              paragraph(runs(['two', 'b'])),
              { kind: 'list', ordered: false, start: null, items: [[plain('nested')]] },
            ],
          ],
        },
      ]);
      expect(doc('3. three\n4. four').blocks).toEqual([
        { kind: 'list', ordered: true, start: 3, items: [[plain('three')], [plain('four')]] },
      ]);
      expect(doc('1. one').blocks).toEqual([
        { kind: 'list', ordered: true, start: null, items: [[plain('one')]] },
      ]);
    });

    it('makes links of http and https addresses, with formatted labels', () => {
      expect(line('[the **docs**](https://example.com/docs) and [b](http://example.org)')).toEqual([
        link('https://example.com/docs', run('the '), run('docs', 'b')),
        runs([' and ']),
        link('http://example.org/', run('b')),
      ]);
    });

    it('finds bare addresses as before: trailing punctuation out, emphasis around them', () => {
      expect(line('see https://example.com/a_b*c*. and **https://example.com/x**')).toEqual([
        runs(['see ']),
        link('https://example.com/a_b*c', run('https://example.com/a_b*c')),
        runs(['*. and ']),
        link('https://example.com/x', run('https://example.com/x', 'b')),
      ]);
    });

    it.each([
      ['[x](javascript:alert(1))'],
      ['[x](JavaScript:alert(document.cookie))'],
      ['[x](data:text/html,<script>alert(1)</script>)'],
      ['[x](javascript:https://example.com)'],
      ['[x](/relative/path)'],
      ['[x](ftp://example.com/file)'],
      ['[x](mailto:a@example.com)'],
      ['<javascript:alert(1)>'],
      ['www.example.com and bob@example.com'],
      ['xhttps://example.com'],
    ])('makes no link of %s: it stays the text typed', (typed) => {
      expect(line(typed)).toEqual([runs([typed])]);
    });

    it('keeps `<https://…>` as text around a link, as before', () => {
      expect(line('<https://example.com>')).toEqual([
        runs(['<']),
        link('https://example.com/', run('https://example.com')),
        runs(['>']),
      ]);
    });
  });

  describe('what stays the text that was typed', () => {
    it.each([
      ['a heading', '# hi'],
      ['a heading underlined', 'hi\n==='],
      ['a rule', '---'],
      ['a table', '| a | b |\n| - | - |\n| 1 | 2 |'],
      ['a link definition', '[x]: https://example.com'],
      ['HTML', '<script>alert(1)</script>'],
      ['HTML blocks', '<div onclick="alert(1)">\n**hi**\n</div>'],
      ['four spaces of indent', '    not code'],
    ])('%s', (_case, typed) => {
      const { blocks } = doc(typed);
      expect(blocks.every((block) => block.kind === 'paragraph')).toBe(true);
      expect(visible(blocks)).toBe(typed);
      expect(JSON.stringify(blocks)).not.toMatch(/"look":"[^"]/);
    });

    it('an image, which never loads', () => {
      expect(line('look ![x](https://example.com/x.png)')).toEqual([
        runs(['look ![x](']),
        link('https://example.com/x.png', run('https://example.com/x.png')),
        runs([')']),
      ]);
    });

    it('HTML inside a line', () => {
      expect(line('<b>x</b> and <img src=x onerror=alert(1)>')).toEqual([
        runs(['<b>x</b> and <img src=x onerror=alert(1)>']),
      ]);
    });

    it('a task list’s boxes', () => {
      expect(visible(doc('- [ ] to do\n- [x] done').blocks)).toBe('[ ] to do\n[x] done');
    });

    it('an escaped delimiter', () => {
      expect(line('\\*not italic\\*')).toEqual([runs(['*not italic*'])]);
    });

    it('character references', () => {
      expect(line('&#60;b&#62; &amp; &lt;')).toEqual([runs(['&#60;b&#62; &amp; &lt;'])]);
    });
  });

  describe('mentions', () => {
    it('are found in bold, quotes, lists and link labels', () => {
      expect(line('**@Alice** hi', 'alice')).toEqual([mention('@Alice', 'b'), runs([' hi'])]);
      expect(doc('> @alice said\n- ask @alice', 'alice').blocks).toEqual([
        { kind: 'quote', children: [paragraph(mention('@alice'), runs([' said']))] },
        {
          kind: 'list',
          ordered: false,
          start: null,
          items: [[paragraph(runs(['ask ']), mention('@alice'))]],
        },
      ]);
      expect(line('[@alice’s page](https://example.com)', 'alice')).toEqual([
        link('https://example.com/', { text: '@alice', look: '', mention: true }, run('’s page')),
      ]);
    });

    it('are not found in code', () => {
      expect(line('`@alice`', 'alice')).toEqual([runs(['@alice', 'code'])]);
      expect(doc('```\n@alice\n```', 'alice').blocks).toEqual([{ kind: 'code', text: '@alice' }]);
    });

    it('names with spaces and marks, as the contract finds them', () => {
      expect(line('_@Mary Ann_ and @zoë', 'mary ann')).toEqual([
        mention('@Mary Ann', 'i'),
        runs([' and @zoë']),
      ]);
    });
  });

  describe('hostile input', () => {
    it.each([
      ['2,000 asterisks', '*'.repeat(2000)],
      ['1,000 alternating asterisks', '*a'.repeat(1000)],
      ['2,000 underscores and tildes', '_~'.repeat(1000)],
      ['2,000 backticks', '`'.repeat(2000)],
      ['2,000 brackets', '['.repeat(2000)],
      ['2,000 angle brackets', '<'.repeat(2000)],
      ['1,000 image openings', '!['.repeat(1000)],
    ])('%s: shown as typed', (_case, typed) => {
      expect(visible(doc(typed).blocks)).toBe(typed);
    });

    it('2,000 backslashes: shown as the 1,000 they escape', () => {
      expect(visible(doc('\\'.repeat(2000)).blocks)).toBe('\\'.repeat(1000));
    });

    it('nested emphasis: bounded, and every letter still shown', () => {
      const typed = '*'.repeat(999) + 'a' + '*'.repeat(999);
      expect(visible(doc(typed).blocks)).toContain('a');
      const nested = '*a _b ~~c **d *e _f ~~g **h *i _j ~~k**~~_*~~_*~~_*';
      expect(visible(doc(nested).blocks).replace(/[*_~ ]/g, '')).toBe('abcdefghijk');
    });

    it('a paragraph with more delimiters than allowed is text, not a hang', () => {
      const typed = '**a** '.repeat(333);
      const { blocks } = doc(typed);
      expect(JSON.stringify(blocks)).not.toContain('"look":"b"');
      expect(visible(blocks)).toBe(typed);
    });

    it.each([
      ['2,000 nested quotes', '>'.repeat(2000)],
      ['1,000 nested quotes with spaces', '> '.repeat(999) + 'x'],
      ['1,000 nested list markers', '- '.repeat(999) + 'x'],
      ['666 nested numbered markers', '1. '.repeat(666) + 'x'],
      ['quotes in lists in quotes', '> - '.repeat(499) + 'x'],
      ['lists nested by indent', Array.from({ length: 40 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n')],
    ])('%s: nesting stops at MAX_BLOCK_DEPTH', (_case, typed) => {
      const { blocks } = doc(typed);
      expect(depth(blocks)).toBeLessThanOrEqual(MAX_BLOCK_DEPTH);
      expect(depth(blocks)).toBeGreaterThan(0);
    });

    it('the deepest quote shows the rest of the markers as typed', () => {
      expect(visible(doc('> '.repeat(MAX_BLOCK_DEPTH + 2) + 'x').blocks)).toBe('> > x');
    });

    it('is plain text, links and mentions included, when lexing runs out of time', () => {
      const typed = '**bold** @alice https://example.com\n> quote';
      expect(buildMessageDoc(typed, 'alice', -1)).toEqual({
        inline: true,
        blocks: [
          paragraph(
            runs(['**bold** ']),
            mention('@alice'),
            runs([' ']),
            link('https://example.com/', run('https://example.com')),
            runs(['\n> quote']),
          ),
        ],
      });
    });
  });
});

describe('messageDoc', () => {
  it('gives the same document for the same text and reader, built once', () => {
    const first = messageDoc('**cached** @bob', 'bob');
    expect(messageDoc('**cached** @bob', 'bob')).toBe(first);
    expect(messageDoc('**cached** @bob', 'carol')).not.toBe(first);
    expect(messageDoc('**cached** @bob', 'carol')).toEqual(buildMessageDoc('**cached** @bob', 'carol'));
  });
});
