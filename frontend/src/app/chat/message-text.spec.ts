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
    expect(links().map((a) => a.outerHTML)).toEqual([
      '<a target="_blank" rel="noopener noreferrer nofollow" href="https://evil.example/">https://evil.example</a>',
    ]);
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
