import { Lexer, Tokenizer, getDefaults, type Token, type Tokens, type TokensList } from 'marked';
import { trimUrl } from './text-segments';

/**
 * How deep quotes and lists go inside each other. Deeper markers stay text: `> > > > > > > x`
 * shows six quotes and `> x` in the innermost, and 2,000 of them neither recurse 2,000 times
 * (marked's lexer overflows the stack at about 1,000) nor nest 2,000 elements.
 */
export const MAX_BLOCK_DEPTH = 6;
/** How deep bold, italic, strikethrough and links go inside each other; deeper delimiters stay text. */
export const MAX_INLINE_DEPTH = 6;
/**
 * More `*`, `_` or `~` than this in one paragraph and its emphasis stays text: marked looks for
 * each delimiter's partner further on, so a paragraph of nothing but delimiters costs time that
 * grows with the square of their count (`*a*a*a…` of 2,000 characters: 10-30 ms).
 */
export const MAX_EMPHASIS_DELIMITERS = 200;
/**
 * The last guard, for input the bounds above did not foresee: lexing a message that takes longer
 * than this stops, and the message is shown as plain text (once: the result is kept). The worst
 * inputs found take under 10 ms; the margin is for the first message lexed, which can take over
 * 100 ms on a loaded machine while the engine compiles marked's rules, and must not lose its
 * formatting for that.
 */
export const LEX_BUDGET_MS = 500;

class LexBudgetExceeded extends Error {}

const EMPHASIS_DELIMITER = /[*_~]/g;
const WEB_ADDRESS = /^https?:\/\/[^\s<>"]+/iu;
/** marked's GFM text rule with line breaks, less its look-ahead for e-mail addresses and `www.`. */
const INLINE_TEXT =
  /^(`+|~+|[^`~])(?:(?=[`~])|(?= *\n)|[\s\S]*?(?:(?=[\\<![`*~_]|\b_| *\n|[hH][tT][tT][pP][sS]?:\/\/|$)|[^ ](?= *\n)))/;

/** marked's tokenizer with the bounds above, and links found as the app always found them. */
class BoundedTokenizer extends Tokenizer {
  blockDepth = 0;
  inlineDepth = 0;
  emphasis = true;

  constructor(private readonly deadline: number) {
    super();
  }

  private calls = 0;

  /** Reads the clock every 32nd call: reading it on each one cost a tenth of the lexing. */
  private checkTime(): void {
    if ((this.calls++ & 31) === 0 && performance.now() > this.deadline) throw new LexBudgetExceeded();
  }

  private nestBlock<T>(tokenize: () => T | undefined): T | undefined {
    if (this.blockDepth >= MAX_BLOCK_DEPTH) return undefined;
    this.checkTime();
    this.blockDepth++;
    try {
      return tokenize();
    } finally {
      this.blockDepth--;
    }
  }

  private nestInline<T>(tokenize: () => T | undefined): T | undefined {
    if (this.inlineDepth >= MAX_INLINE_DEPTH) return undefined;
    this.checkTime();
    this.inlineDepth++;
    try {
      return tokenize();
    } finally {
      this.inlineDepth--;
    }
  }

  override blockquote(src: string): Tokens.Blockquote | undefined {
    return this.nestBlock(() => super.blockquote(src));
  }

  override list(src: string): Tokens.List | undefined {
    return this.nestBlock(() => super.list(src));
  }

  override paragraph(src: string): Tokens.Paragraph | undefined {
    this.checkTime();
    return super.paragraph(src);
  }

  override emStrong(
    src: string,
    maskedSrc: string,
    prevChar?: string,
  ): Tokens.Em | Tokens.Strong | undefined {
    if (!this.emphasis) return undefined;
    return this.nestInline(() => super.emStrong(src, maskedSrc, prevChar));
  }

  override del(src: string, maskedSrc: string, prevChar?: string): Tokens.Del | undefined {
    if (!this.emphasis) return undefined;
    return this.nestInline(() => super.del(src, maskedSrc, prevChar));
  }

  override link(src: string): Tokens.Link | Tokens.Image | undefined {
    return this.nestInline(() => super.link(src));
  }

  override reflink(
    src: string,
    links: Parameters<Tokenizer['reflink']>[1],
  ): Tokens.Link | Tokens.Image | Tokens.Text | undefined {
    return this.nestInline(() => super.reflink(src, links));
  }

  /**
   * Text up to where another token may start. marked's own rule also stops before anything that
   * could be an e-mail address, which it would link (Flack does not); looking ahead for one at
   * every character is what made `*a*a*a…` cost time growing with the square of its length.
   * The text is kept as typed (marked decodes `&#60;`; it stays `&#60;` here).
   */
  override inlineText(src: string): Tokens.Text | undefined {
    this.checkTime();
    const match = INLINE_TEXT.exec(src);
    return match === null ? undefined : { type: 'text', raw: match[0], text: match[0] };
  }

  /**
   * A bare web address is one piece of text, so the `*` or `_` inside it is no emphasis; whether
   * it becomes a link is decided later with the text around it (segmentMessage), as before
   * formatting. `www.` and e-mail addresses stay text.
   */
  override url(src: string): Tokens.Link | undefined {
    const match = WEB_ADDRESS.exec(src);
    if (match === null) return undefined;
    const text = trimUrl(match[0]);
    return { type: 'text', raw: text, text } as unknown as Tokens.Link;
  }

  /** `<https://…>` is text around a bare address, as before formatting. */
  override autolink(): Tokens.Link | undefined {
    return undefined;
  }
}

/** Counts a paragraph's emphasis delimiters before its inline lexing (see MAX_EMPHASIS_DELIMITERS). */
class BoundedLexer extends Lexer {
  constructor(private readonly bounded: BoundedTokenizer) {
    super({ ...getDefaults(), gfm: true, breaks: true, tokenizer: bounded });
  }

  override inlineTokens(src: string, tokens: Token[] = []): Token[] {
    if (this.bounded.inlineDepth === 0) {
      this.bounded.emphasis = (src.match(EMPHASIS_DELIMITER)?.length ?? 0) <= MAX_EMPHASIS_DELIMITERS;
    }
    return super.inlineTokens(src, tokens);
  }
}

/**
 * marked's tokens for a message (GitHub-flavoured, a newline is a line break), or null when the
 * text is too costly to lex (it is then shown as plain text). Never throws.
 */
export function lexMessage(text: string, budgetMs = LEX_BUDGET_MS): TokensList | null {
  try {
    return new BoundedLexer(new BoundedTokenizer(performance.now() + budgetMs)).lex(
      quotesEndAtUnquotedLines(text),
    );
  } catch {
    // LexBudgetExceeded, or anything marked itself throws (a stack overflow on input we did not foresee).
    return null;
  }
}

const QUOTED = /^ {0,3}>/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Chat quoting: `>` quotes its own line only, as in Slack and Discord, so a line after a quote that
 * does not start with `>` is the answer to it, not CommonMark's "lazy continuation" of the quote.
 * A blank line is put between them, outside fenced code (whose lines stay as typed).
 */
export function quotesEndAtUnquotedLines(text: string): string {
  if (!text.includes('>')) return text;
  const lines = text.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    out.push(line);
    const opensOrCloses = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (opensOrCloses && opensOrCloses[0] === fence[0] && opensOrCloses.length >= fence.length)
        fence = null;
      continue;
    }
    if (opensOrCloses) {
      fence = opensOrCloses;
      continue;
    }
    const next = lines[i + 1];
    if (QUOTED.test(line) && next !== undefined && next.trim() !== '' && !QUOTED.test(next)) out.push('');
  }
  return out.join('\n');
}

/** Text that takes marked's common paths: a paragraph with emphasis, code and a web address. */
const WARM_UP_TEXT = 'Hi **there**, _see_ ~~this~~ `code` at https://example.com/a?b=1 #1';

/**
 * Compiles marked's rules before the first message is lexed, a few at a time in short tasks of
 * their own. V8 compiles a regular expression when it first runs it (then again, to machine code,
 * on the next run) and marked's are large: the first message lexed took ~50 ms here and several
 * times that on a phone, all of it inside the task that draws a channel. Warmed while the app waits
 * on the network, the first message costs what every other one does (~0.1 ms). The rules are the
 * ones lexMessage uses (GitHub-flavoured blocks, inline rules with line breaks); each keeps its
 * `lastIndex`. Tasks, not idle callbacks: a page that renders every frame has no idle time.
 */
export function warmUpLexer(): Promise<void> {
  warmedUp ??= warmUp();
  return warmedUp;
}

let warmedUp: Promise<void> | undefined;

function warmUp(): Promise<void> {
  const rules = [...Object.values(Lexer.rules.block.gfm), ...Object.values(Lexer.rules.inline.breaks)];
  const pending = rules.filter((rule): rule is RegExp => rule instanceof RegExp);
  return new Promise((resolve) => {
    const step = () => {
      const until = performance.now() + 4;
      while (pending.length > 0 && performance.now() < until) {
        const rule = pending.pop()!;
        const lastIndex = rule.lastIndex;
        rule.exec(WARM_UP_TEXT);
        rule.lastIndex = 0;
        rule.exec(WARM_UP_TEXT);
        rule.lastIndex = lastIndex;
      }
      if (pending.length > 0) {
        setTimeout(step);
      } else {
        lexMessage(WARM_UP_TEXT);
        resolve();
      }
    };
    setTimeout(step);
  });
}
