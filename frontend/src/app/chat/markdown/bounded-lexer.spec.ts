import { Lexer } from 'marked';
import { lexMessage, warmUpLexer } from './bounded-lexer';

describe('warmUpLexer', () => {
  const samples = [
    'plain words',
    '**bold** and _italic_ and ~~struck~~ and `code`',
    '> a quote\nand the answer',
    '- one\n- two\n\n1. first\n2. second',
    '```\nfenced *not bold*\n```',
    'a link https://example.com/a_b_c and [a label](https://example.com)',
  ];

  it('leaves the lexer as it found it: every message lexes the same after it as before', async () => {
    const before = samples.map((text) => lexMessage(text));
    // Messages lexed while the warm-up is under way, between its steps, too.
    const during: ReturnType<typeof lexMessage>[] = [];
    const warming = warmUpLexer();
    for (const text of samples) {
      await new Promise((resolve) => setTimeout(resolve));
      during.push(lexMessage(text));
    }
    await warming;

    expect(during).toEqual(before);
    expect(samples.map((text) => lexMessage(text))).toEqual(before);
    expect(Lexer.rules.block.gfm.paragraph.lastIndex).toBe(0);
  });
});
