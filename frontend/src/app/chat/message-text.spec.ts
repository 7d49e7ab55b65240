import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MessageText, segmentMessage } from './message-text';

describe('MessageText', () => {
  let fixture: ComponentFixture<MessageText>;
  let element: HTMLElement;

  async function show(text: string, mentionName: string | null = null) {
    fixture.componentRef.setInput('text', text);
    fixture.componentRef.setInput('mentionName', mentionName);
    await fixture.whenStable();
  }

  const links = () => [...element.querySelectorAll('a')];
  const marks = () => [...element.querySelectorAll('mark')].map((mark) => mark.textContent);

  beforeEach(() => {
    fixture = TestBed.createComponent(MessageText);
    element = fixture.nativeElement;
  });

  it('shows the text exactly as written, newlines and spaces included', async () => {
    const written = '  two lines:\nthe  second one  ';
    await show(written);

    expect(element.textContent).toBe(written);
    expect(links()).toHaveLength(0);
  });

  it('renders markup as text', async () => {
    await show('<img src=x onerror=alert(1)> <a href="https://evil.example">x</a>');

    expect(element.querySelector('img')).toBeNull();
    // Only the address itself is a link; the markup around it is text.
    expect(links().map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['https://evil.example/', 'https://evil.example'],
    ]);
    expect(
      links()[0]
        .getAttributeNames()
        .filter((name) => !/^(_ng|appmarkdown)/.test(name))
        .sort(),
    ).toEqual(['href', 'rel', 'target']);
    expect(element.textContent).toBe('<img src=x onerror=alert(1)> <a href="https://evil.example">x</a>');
  });

  it('makes http and https addresses links that open safely in a new tab', async () => {
    await show('see https://example.com/a?b=1#c and http://example.org too');

    expect(links().map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1#c',
      'http://example.org/',
    ]);
    for (const link of links()) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
    expect(links()[1].textContent).toBe('http://example.org');
    expect(element.textContent).toBe('see https://example.com/a?b=1#c and http://example.org too');
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'javascript:https://example.com',
    'ftp://example.com/file',
    'www.example.com',
    'https://',
    'xhttps://example.com',
  ])('does not make a link of %s', async (text) => {
    await show(text);

    expect(links()).toHaveLength(0);
    expect(element.textContent).toBe(text);
  });

  it.each([
    ['Look: https://example.com/page.', 'https://example.com/page'],
    ['https://example.com/a, https://example.com/b', 'https://example.com/a'],
    ['really? https://example.com/faq?!', 'https://example.com/faq'],
    ['(see https://example.com/x)', 'https://example.com/x'],
    ['https://en.wikipedia.org/wiki/Flack_(band)', 'https://en.wikipedia.org/wiki/Flack_(band)'],
    ['(https://en.wikipedia.org/wiki/Flack_(band))', 'https://en.wikipedia.org/wiki/Flack_(band)'],
    ['"https://example.com/quoted"', 'https://example.com/quoted'],
  ])('leaves trailing punctuation out of the link in %s', async (text, url) => {
    await show(text);

    expect(links()[0].textContent).toBe(url);
    expect(element.textContent).toBe(text);
  });

  describe('mentions', () => {
    it('highlights @ and the reader’s name, in any case or width', async () => {
      await show('@alice hi, and @ALICE, and @ＡＬＩＣＥ!', 'Alice');

      expect(marks()).toEqual(['@alice', '@ALICE', '@ＡＬＩＣＥ']);
      expect(element.querySelector('mark')?.classList).toContain('mention');
      expect(element.textContent).toBe('@alice hi, and @ALICE, and @ＡＬＩＣＥ!');
    });

    it('highlights a mention at the very end and across lines', async () => {
      await show('hey\n@Alice', 'Alice');

      expect(marks()).toEqual(['@Alice']);
    });

    it('highlights names with spaces, marks and letters outside Latin', async () => {
      await show('@mary ann and @zoë and @Ζωή.', 'Mary Ann');
      expect(marks()).toEqual(['@mary ann']);

      await show('@mary ann and @zoë and @Ζωή.', 'Zoë');
      expect(marks()).toEqual(['@zoë']);

      await show('@mary ann and @zoë and @Ζωή.', 'ζωή');
      expect(marks()).toEqual(['@Ζωή']);
    });

    it.each([
      ['a longer name', '@alice-b and @alicex and @alice_2'],
      ['an address', 'mail bob@alice.example'],
      ['the name without @', 'alice said hi'],
      ['an accent added to the last letter', '@alice\u0301'],
    ])('does not highlight %s', async (_case, text) => {
      await show(text, 'alice');

      expect(marks()).toEqual([]);
    });

    it('highlights nothing without a reader name', async () => {
      await show('@alice hi', null);

      expect(marks()).toEqual([]);
    });

    it('finds mentions beside links, not inside them', async () => {
      await show('@alice look https://example.com/@alice @alice', 'alice');

      expect(marks()).toEqual(['@alice', '@alice']);
      expect(links().map((a) => a.textContent)).toEqual(['https://example.com/@alice']);
    });
  });
});

describe('MessageText formatting', () => {
  let fixture: ComponentFixture<MessageText>;
  let element: HTMLElement;

  async function show(text: string, mentionName: string | null = null) {
    fixture.componentRef.setInput('text', text);
    fixture.componentRef.setInput('mentionName', mentionName);
    await fixture.whenStable();
  }

  const all = (selector: string) => [...element.querySelectorAll(selector)];
  const texts = (selector: string) => all(selector).map((found) => found.textContent);

  beforeEach(() => {
    fixture = TestBed.createComponent(MessageText);
    element = fixture.nativeElement;
  });

  it('shows bold, italic, strikethrough and code in a line, with no block around it', async () => {
    await show('**bold**, *it*, ~~gone~~ and `x < y`');

    expect(texts('.b')).toEqual(['bold']);
    expect(texts('.i')).toEqual(['it']);
    expect(texts('.s')).toEqual(['gone']);
    expect(texts('.code')).toEqual(['x < y']);
    expect(element.textContent).toBe('bold, it, gone and x < y');
    expect(all('div, pre, blockquote, ul, ol')).toHaveLength(0);
    expect(element.classList).not.toContain('blocks');
  });

  it('shows a code block that keeps its lines, its direction found from its text', async () => {
    const code = 'if (a) {\n    return "שלום";\n}';
    await show('```js\n' + code + '\n```');

    const [pre] = all('pre');
    expect(pre.querySelector('code')?.textContent).toBe(code);
    expect(pre.getAttribute('dir')).toBe('auto');
    // Keyboard users can scroll a long line into view.
    expect(pre.getAttribute('tabindex')).toBe('0');
    expect(element.classList).toContain('blocks');
  });

  it('shows quotes and lists, an ordered one from where it starts', async () => {
    await show('> quoted **bold**\n\n3. three\n4. four\n\n- a\n- b');

    expect(all('blockquote .b').map((bold) => bold.textContent)).toEqual(['bold']);
    expect(all('ol').map((list) => list.getAttribute('start'))).toEqual(['3']);
    expect(texts('ol > li')).toEqual(['three', 'four']);
    expect(texts('ul > li')).toEqual(['a', 'b']);
  });

  it('makes a link of [label](https://…) that opens safely, and none of other schemes', async () => {
    await show('[the **docs**](https://example.com/docs) [x](javascript:alert(1))');

    const [link, ...others] = all('a');
    expect(others).toHaveLength(0);
    expect(link.getAttribute('href')).toBe('https://example.com/docs');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(link.querySelector('.b')?.textContent).toBe('docs');
    expect(element.textContent).toBe('the docs [x](javascript:alert(1))');
  });

  it('highlights mentions in bold, quotes and lists, not in code', async () => {
    await show('**@alice** look\n> @alice\n- @alice\n\n`@alice`', 'alice');

    expect(
      all('mark.mention').map((mark) => [
        mark.classList.contains('b'),
        mark.closest('blockquote, li')?.tagName,
      ]),
    ).toEqual([
      [true, undefined],
      [false, 'BLOCKQUOTE'],
      [false, 'LI'],
    ]);
    expect(texts('.code')).toEqual(['@alice']);
  });

  it('shows typed HTML, headings and images as the text typed', async () => {
    await show('<b>x</b> <script>alert(1)</script>\n\n# hi\n\n![x](https://example.com/x.png)');

    expect(all('b, script, img, h1')).toHaveLength(0);
    expect(element.textContent).toBe('<b>x</b> <script>alert(1)</script># hi![x](https://example.com/x.png)');
  });

  it.each([
    '<img src=x onerror=alert(1)>',
    '<svg><script>alert(1)</script></svg>',
    '<iframe src="https://example.com"></iframe>',
    '[x](javascript:alert(1)) [y](data:text/html,x) [z](vbscript:x) [w](//example.com)',
    '<a href="javascript:alert(1)">x</a>',
    '**<img src=x onerror=alert(1)>**',
    '```\n</code></pre><script>alert(1)</script>\n```',
    '> <style>*{display:none}</style>',
    '- <input autofocus onfocus=alert(1)>',
    '[x](https://example.com "title onmouseover=alert(1)")',
    '![x](javascript:alert(1))',
    '<details open ontoggle=alert(1)>',
  ])('renders nothing but its own elements for %s', async (hostile) => {
    await show(hostile);

    const allowed = new Set([
      'DIV',
      'PRE',
      'CODE',
      'BLOCKQUOTE',
      'UL',
      'OL',
      'LI',
      'STRONG',
      'EM',
      'DEL',
      'A',
      'MARK',
      'BR',
      'SPAN',
    ]);
    expect(all('*').filter((found) => !allowed.has(found.tagName))).toEqual([]);
    for (const link of all('a')) expect(link.getAttribute('href')).toMatch(/^https?:\/\//);
    expect(all('[title], [style], [onerror], [onclick]')).toHaveLength(0);
  });

  it('renders 2,000 nested quotes shallow, the rest as text', async () => {
    await show('>'.repeat(2000));

    expect(all('blockquote').length).toBeGreaterThan(0);
    expect(element.querySelector('blockquote '.repeat(7).trim())).toBeNull();
    expect(element.textContent).toMatch(/^>+$/);
  });
});

describe('segmentMessage', () => {
  it('splits text, links and mentions in order', () => {
    expect(segmentMessage('@bob: https://example.com/x. ok', 'Bob')).toEqual([
      { kind: 'mention', text: '@bob' },
      { kind: 'text', text: ': ' },
      { kind: 'link', text: 'https://example.com/x', href: 'https://example.com/x' },
      { kind: 'text', text: '. ok' },
    ]);
  });

  it('gives no segments for no text', () => {
    expect(segmentMessage('', 'Bob')).toEqual([]);
  });
});
