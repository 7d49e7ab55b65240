import type { Token, Tokens } from 'marked';
import { LEX_BUDGET_MS, lexMessage } from './bounded-lexer';
import { safeHref, segmentMessage } from './text-segments';

/** A stretch of text in one look: CSS classes of `b` (bold), `i` (italic), `s` (struck), `code`. */
export interface Run {
  text: string;
  readonly look: string;
  /** A mention of the reader inside a link's label. */
  readonly mention?: true;
}

/**
 * A piece of a line, as the template renders it: runs of text (a text node each, or a `<span>`
 * with the run's classes), a mention (a `<mark>`) or a link (an `<a>` around its runs). Lines are
 * flat, so bold in italic in a link is one run with two classes, not three nested elements: a long
 * formatted message costs a few elements and Angular anchors per piece, not per token.
 */
export type LinePiece =
  | { readonly kind: 'runs'; readonly runs: Run[] }
  | { readonly kind: 'mention'; readonly text: string; readonly look: string }
  | { readonly kind: 'link'; readonly href: string; readonly runs: Run[] };

export type Line = LinePiece[];

/** A block of a message. Anything outside the formatting Flack offers is a paragraph of what was typed. */
export type BlockNode =
  | { readonly kind: 'paragraph'; readonly line: Line }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'quote'; readonly children: BlockNode[] }
  | {
      readonly kind: 'list';
      readonly ordered: boolean;
      readonly start: number | null;
      readonly items: BlockNode[][];
    };

export interface MessageDoc {
  readonly blocks: BlockNode[];
  /** One paragraph only: rendered inline, with no block around it (most messages). */
  readonly inline: boolean;
}

const BOLD = 1;
const ITALIC = 2;
const STRUCK = 4;
const CODE = 8;
/** Classes by the bold, italic and struck flags. */
const LOOKS = ['', 'b', 'i', 'b i', 's', 'b s', 'i s', 'b i s'];

function lookOf(flags: number): string {
  const base = LOOKS[flags & 7];
  if ((flags & CODE) === 0) return base;
  return base === '' ? 'code' : `${base} code`;
}

/** Text as typed (marked's `raw`), without the blank lines a block ends with. */
function typed(token: Token): string {
  return token.raw.replace(/\n+$/u, '');
}

class DocBuilder {
  constructor(private readonly mentionName: string | null) {}

  blocks(tokens: Token[]): BlockNode[] {
    const blocks: BlockNode[] = [];
    // A task list item's `[ ] ` is no checkbox here: it stays text, in front of the item's line.
    let typedBefore = '';
    for (const token of tokens) {
      switch (token.type) {
        case 'space':
          break;
        case 'checkbox':
          typedBefore += token.raw;
          break;
        case 'paragraph':
        case 'text': {
          const inline: Token[] = token.tokens ?? [{ type: 'text', raw: token.raw, text: token.text }];
          const lead: Token[] = typedBefore ? [{ type: 'text', raw: typedBefore, text: typedBefore }] : [];
          typedBefore = '';
          blocks.push({ kind: 'paragraph', line: this.line([...lead, ...inline]) });
          break;
        }
        case 'code': {
          const code = token as Tokens.Code;
          // Four spaces of indent make no code block in a chat: only fences do. Nothing between
          // the fences (a line of backticks) is no code block either.
          if (code.codeBlockStyle === 'indented' || code.text === '') blocks.push(this.asTyped(token));
          else blocks.push({ kind: 'code', text: code.text });
          break;
        }
        case 'blockquote':
          blocks.push({ kind: 'quote', children: this.blocks((token as Tokens.Blockquote).tokens) });
          break;
        case 'list': {
          const list = token as Tokens.List;
          const start =
            list.ordered && typeof list.start === 'number' && list.start !== 1 ? list.start : null;
          const items = list.items.map((item) => this.blocks(item.tokens));
          blocks.push({ kind: 'list', ordered: list.ordered, start, items });
          break;
        }
        default:
          // Headings, tables, rules, HTML, link definitions: shown as typed (`# hi` stays `# hi`).
          blocks.push(this.asTyped(token));
      }
    }
    return blocks;
  }

  /** A line of inline tokens. */
  line(tokens: Token[]): Line {
    const builder = new LineBuilder(this.mentionName);
    builder.add(tokens, 0);
    return builder.pieces;
  }

  private asTyped(token: Token): BlockNode {
    return { kind: 'paragraph', line: this.line([{ type: 'text', raw: token.raw, text: typed(token) }]) };
  }
}

/** Flattens inline tokens into pieces; runs of text are joined, then searched for links and mentions. */
class LineBuilder {
  readonly pieces: LinePiece[] = [];
  /** The runs piece text goes to, or null when the last piece is a mention or a link. */
  private runs: Run[] | null = null;
  /** While a link's label is added: its runs. */
  private label: Run[] | null = null;

  constructor(private readonly mentionName: string | null) {}

  add(tokens: Token[], flags: number): void {
    let text = '';
    const flush = () => {
      if (text !== '') this.text(text, flags);
      text = '';
    };
    for (const token of tokens) {
      switch (token.type) {
        case 'text':
        case 'escape':
          text += token.text;
          break;
        case 'br':
          // Shown by the line's `white-space: pre-wrap`.
          text += '\n';
          break;
        case 'codespan':
          flush();
          this.run(token.text, flags | CODE);
          break;
        case 'strong':
        case 'em':
        case 'del':
          flush();
          this.add(
            token.tokens ?? [],
            flags | (token.type === 'strong' ? BOLD : token.type === 'em' ? ITALIC : STRUCK),
          );
          break;
        case 'link': {
          const href = this.label === null ? safeHref((token as Tokens.Link).href) : null;
          if (href === null) {
            text += token.raw;
          } else {
            flush();
            this.label = [];
            this.add(token.tokens ?? [], flags);
            this.pieces.push({ kind: 'link', href, runs: this.label });
            this.label = null;
            this.runs = null;
          }
          break;
        }
        default:
          // HTML, images, anything else: the text as typed (`<b>x</b>` and `![x](y)` stay text).
          text += token.raw;
      }
    }
    flush();
  }

  private text(text: string, flags: number): void {
    for (const segment of segmentMessage(text, this.mentionName, { links: this.label === null })) {
      if (segment.kind === 'text') {
        this.run(segment.text, flags);
      } else if (segment.kind === 'mention') {
        if (this.label !== null) {
          this.label.push({ text: segment.text, look: lookOf(flags), mention: true });
        } else {
          this.pieces.push({ kind: 'mention', text: segment.text, look: lookOf(flags) });
          this.runs = null;
        }
      } else {
        this.pieces.push({
          kind: 'link',
          href: segment.href,
          runs: [{ text: segment.text, look: lookOf(flags) }],
        });
        this.runs = null;
      }
    }
  }

  private run(text: string, flags: number): void {
    let runs = this.label ?? this.runs;
    if (runs === null) {
      runs = this.runs = [];
      this.pieces.push({ kind: 'runs', runs });
    }
    const look = lookOf(flags);
    const last = runs.at(-1);
    if (last !== undefined && last.look === look && !last.mention) last.text += text;
    else runs.push({ text, look });
  }
}

/**
 * What a message shows: marked's tokens (bold, italic, strikethrough, code, fenced code blocks,
 * quotes, lists, http(s) links) turned into nodes for the templates, with bare addresses and
 * `@mentions` of `mentionName` found in the text. Everything else stays the text that was typed,
 * and a message too costly to lex is plain text with its links and mentions.
 */
export function buildMessageDoc(
  text: string,
  mentionName: string | null,
  budgetMs = LEX_BUDGET_MS,
): MessageDoc {
  const builder = new DocBuilder(mentionName);
  const tokens = lexMessage(text, budgetMs);
  const blocks: BlockNode[] =
    tokens === null
      ? [{ kind: 'paragraph', line: builder.line([{ type: 'text', raw: text, text }]) }]
      : builder.blocks(tokens);
  return { blocks, inline: blocks.length === 1 && blocks[0].kind === 'paragraph' };
}

/** Everything a reader sees of `blocks`, in order, as one string (lines joined by newlines). */
export function visibleText(blocks: readonly BlockNode[]): string {
  const ofLine = (pieces: Line) =>
    pieces
      .map((piece) => (piece.kind === 'mention' ? piece.text : piece.runs.map((r) => r.text).join('')))
      .join('');
  return blocks
    .map((block) => {
      switch (block.kind) {
        case 'paragraph':
          return ofLine(block.line);
        case 'code':
          return block.text;
        case 'quote':
          return visibleText(block.children);
        case 'list':
          return block.items.map(visibleText).join('\n');
      }
    })
    .join('\n');
}

/**
 * A reply's quote as a reader sees the original (`**Plan**` reads "Plan"), on one line: the server
 * stores the excerpt as typed, and this shows it without the formatting marks.
 */
export function excerptText(excerpt: string): string {
  return visibleText(messageDoc(excerpt, null).blocks).replace(/\s*\n\s*/g, ' ');
}

/** Documents of the messages seen lately: switching back to a channel lexes nothing again. */
const recent = new Map<string, MessageDoc>();
const RECENT_LIMIT = 1_000;

/** buildMessageDoc, remembered for the last RECENT_LIMIT texts (a message's doc never changes). */
export function messageDoc(text: string, mentionName: string | null): MessageDoc {
  const key = `${mentionName ?? ''}\u0000${text}`;
  let doc = recent.get(key);
  if (doc === undefined) {
    doc = buildMessageDoc(text, mentionName);
    if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  } else {
    recent.delete(key);
  }
  recent.set(key, doc);
  return doc;
}
