import { MAX_BLOCK_DEPTH, MAX_INLINE_DEPTH } from './bounded-lexer';
import { buildMessageDoc, messageDoc, type BlockNode, type InlineNode } from './message-doc';

const doc = (text: string, mentionName: string | null = null) => buildMessageDoc(text, mentionName);
/** The nodes of a message of one paragraph. */
function line(text: string, mentionName: string | null = null): InlineNode[] {
  const { blocks, inline } = doc(text, mentionName);
  expect(inline).toBe(true);
  const [paragraph] = blocks;
  if (paragraph.kind !== 'paragraph') throw new Error(`not a paragraph: ${paragraph.kind}`);
  return paragraph.children;
}
const text = (value: string): InlineNode => ({ kind: 'text', text: value });
const paragraph = (...children: InlineNode[]): BlockNode => ({ kind: 'paragraph', children });
const link = (href: string, label = href): InlineNode => ({ kind: 'link', href, children: [text(label)] });

/** Everything a reader sees, in order, as one string (a line break as `\n`). */
function visible(nodes: (InlineNode | BlockNode)[]): string {
  return nodes
    .map((node) => {
      switch (node.kind) {
        case 'text':
        case 'mention':
          return node.text;
        case 'br':
          return '\n';
        case 'code':
          return node.text;
        case 'list':
          return node.items.map(visible).join('\n');
        default:
          return visible(node.children);
      }
    })
    .join('');
}

/** How deep the blocks (quotes, lists) and the inline nodes (bold, links…) go. */
function depth(nodes: (InlineNode | BlockNode)[]): { block: number; inline: number } {
  let block = 0;
  let inline = 0;
  for (const node of nodes) {
    if (node.kind === 'quote') block = Math.max(block, 1 + depth(node.children).block);
    if (node.kind === 'list') for (const item of node.items) block = Math.max(block, 1 + depth(item).block);
    if ('children' in node && node.kind !== 'quote') {
      const inner = depth(node.children);
      inline = Math.max(inline, node.kind === 'paragraph' ? inner.inline : 1 + inner.inline);
      block = Math.max(block, inner.block);
    }
    if (node.kind === 'quote') inline = Math.max(inline, depth(node.children).inline);
    if (node.kind === 'list') for (const item of node.items) inline = Math.max(inline, depth(item).inline);
  }
  return { block, inline };
}

describe('buildMessageDoc', () => {
  describe('the formatting it offers', () => {
    it('makes bold, italic, strikethrough and inline code', () => {
      expect(line('**bold** *it* _it_ ~~gone~~ `a <b> c`')).toEqual([
        { kind: 'strong', children: [text('bold')] },
        text(' '),
        { kind: 'em', children: [text('it')] },
        text(' '),
        { kind: 'em', children: [text('it')] },
        text(' '),
        { kind: 'del', children: [text('gone')] },
        text(' '),
        { kind: 'code', text: 'a <b> c' },
      ]);
    });

    it('nests emphasis', () => {
      expect(line('***both*** **bold _and it_**')).toEqual([
        { kind: 'em', children: [{ kind: 'strong', children: [text('both')] }] },
        text(' '),
        { kind: 'strong', children: [text('bold '), { kind: 'em', children: [text('and it')] }] },
      ]);
    });

    it('keeps line breaks and spaces', () => {
      expect(line('  two lines:\nthe  second one  ')).toEqual([
        text('  two lines:'),
        { kind: 'br' },
        text('the  second one  '),
      ]);
    });

    it('makes a fenced code block of what is between the fences, as typed', () => {
      const { blocks, inline } = doc('look:\n```ts\nconst a = **b** <i>;\n  indented\n```\nok');
      expect(inline).toBe(false);
      expect(blocks).toEqual([
        paragraph(text('look:')),
        { kind: 'code', text: 'const a = **b** <i>;\n  indented' },
        paragraph(text('ok')),
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
        {
          kind: 'quote',
          children: [paragraph(text('said')), { kind: 'quote', children: [paragraph(text('before'))] }],
        },
        paragraph(text('me')),
      ]);
    });

    it('makes ordered and unordered lists, with where an ordered list starts', () => {
      expect(doc('- one\n- **two**\n  - nested').blocks).toEqual([
        {
          kind: 'list',
          ordered: false,
          start: null,
          items: [
            [paragraph(text('one'))],
            [
              paragraph({ kind: 'strong', children: [text('two')] }),
              { kind: 'list', ordered: false, start: null, items: [[paragraph(text('nested'))]] },
            ],
          ],
        },
      ]);
      expect(doc('3. three\n4. four').blocks).toEqual([
        {
          kind: 'list',
          ordered: true,
          start: 3,
          items: [[paragraph(text('three'))], [paragraph(text('four'))]],
        },
      ]);
      expect(doc('1. one').blocks).toEqual([
        { kind: 'list', ordered: true, start: null, items: [[paragraph(text('one'))]] },
      ]);
    });

    it('makes links of http and https addresses, with formatted labels', () => {
      expect(line('[the **docs**](https://example.com/docs) and [b](http://example.org)')).toEqual([
        {
          kind: 'link',
          href: 'https://example.com/docs',
          children: [text('the '), { kind: 'strong', children: [text('docs')] }],
        },
        text(' and '),
        link('http://example.org/', 'b'),
      ]);
    });

    it('finds bare addresses as before: trailing punctuation out, emphasis around them', () => {
      expect(line('see https://example.com/a_b*c*. and **https://example.com/x**')).toEqual([
        text('see '),
        link('https://example.com/a_b*c'),
        text('*. and '),
        { kind: 'strong', children: [link('https://example.com/x')] },
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
      expect(line(typed)).toEqual([text(typed)]);
    });

    it('keeps `<https://…>` as text around a link, as before', () => {
      expect(line('<https://example.com>')).toEqual([
        text('<'),
        link('https://example.com/', 'https://example.com'),
        text('>'),
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
      expect(JSON.stringify(blocks)).not.toContain('"strong"');
    });

    it('an image, which never loads', () => {
      expect(line('look ![x](https://example.com/x.png)')).toEqual([
        text('look ![x]('),
        link('https://example.com/x.png'),
        text(')'),
      ]);
    });

    it('HTML inside a line', () => {
      expect(line('<b>x</b> and <img src=x onerror=alert(1)>')).toEqual([
        text('<b>x</b> and <img src=x onerror=alert(1)>'),
      ]);
    });

    it('a task list’s boxes', () => {
      expect(visible(doc('- [ ] to do\n- [x] done').blocks)).toBe('[ ] to do\n[x] done');
    });

    it('an escaped delimiter', () => {
      expect(line('\\*not italic\\*')).toEqual([text('*not italic*')]);
    });
  });

  describe('mentions', () => {
    const mention = (value: string): InlineNode => ({ kind: 'mention', text: value });

    it('are found in bold, quotes, lists and link labels', () => {
      expect(line('**@Alice** hi', 'alice')).toEqual([
        { kind: 'strong', children: [mention('@Alice')] },
        text(' hi'),
      ]);
      expect(doc('> @alice said\n- ask @alice', 'alice').blocks).toEqual([
        { kind: 'quote', children: [paragraph(mention('@alice'), text(' said'))] },
        { kind: 'list', ordered: false, start: null, items: [[paragraph(text('ask '), mention('@alice'))]] },
      ]);
      expect(line('[@alice’s page](https://example.com)', 'alice')).toEqual([
        { kind: 'link', href: 'https://example.com/', children: [mention('@alice'), text('’s page')] },
      ]);
    });

    it('are not found in code', () => {
      expect(line('`@alice`', 'alice')).toEqual([{ kind: 'code', text: '@alice' }]);
      expect(doc('```\n@alice\n```', 'alice').blocks).toEqual([{ kind: 'code', text: '@alice' }]);
    });

    it('names with spaces and marks, as the contract finds them', () => {
      expect(line('_@Mary Ann_ and @zoë', 'mary ann')).toEqual([
        { kind: 'em', children: [mention('@Mary Ann')] },
        text(' and @zoë'),
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
      ['1,000 backslashes', '\\'.repeat(2000)],
    ])('%s: shown as typed', (_case, typed) => {
      expect(visible(doc(typed).blocks).replace(/\n/g, '')).toBe(typed.replace(/\\\\/g, '\\'));
    });

    it('nested emphasis stops at MAX_INLINE_DEPTH, the rest stays text', () => {
      const typed = '*'.repeat(999) + 'a' + '*'.repeat(999);
      const { blocks } = doc(typed);
      expect(depth(blocks).inline).toBeLessThanOrEqual(MAX_INLINE_DEPTH);
      expect(visible(blocks)).toContain('a');
    });

    it('a bold paragraph with more delimiters than allowed is text, not a hang', () => {
      const typed = '**a** '.repeat(333);
      const { blocks } = doc(typed);
      expect(JSON.stringify(blocks)).not.toContain('"strong"');
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
      expect(depth(blocks).block).toBeLessThanOrEqual(MAX_BLOCK_DEPTH);
      expect(depth(blocks).block).toBeGreaterThan(0);
    });

    it('the deepest quote shows the rest of the markers as typed', () => {
      const { blocks } = doc('> '.repeat(MAX_BLOCK_DEPTH + 2) + 'x');
      expect(visible(blocks)).toBe('> > x');
    });

    it('is plain text, links and mentions included, when lexing runs out of time', () => {
      const typed = '**bold** @alice https://example.com\n> quote';
      expect(buildMessageDoc(typed, 'alice', -1)).toEqual({
        inline: true,
        blocks: [
          paragraph(
            text('**bold** '),
            { kind: 'mention', text: '@alice' },
            text(' '),
            link('https://example.com/', 'https://example.com'),
            text('\n> quote'),
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
