import type { Token, Tokens } from 'marked';
import { LEX_BUDGET_MS, lexMessage } from './bounded-lexer';
import { safeHref, segmentMessage } from './text-segments';

/** A piece of a line: what the templates render, one element (or text node) each. */
export type InlineNode =
  | { kind: 'text'; text: string }
  | { kind: 'mention'; text: string }
  | { kind: 'link'; href: string; children: InlineNode[] }
  | { kind: 'strong' | 'em' | 'del'; children: InlineNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'br' };

/** A block of a message. Anything outside the formatting Flack offers is a paragraph of what was typed. */
export type BlockNode =
  | { kind: 'paragraph'; children: InlineNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'quote'; children: BlockNode[] }
  | { kind: 'list'; ordered: boolean; start: number | null; items: BlockNode[][] };

export interface MessageDoc {
  readonly blocks: BlockNode[];
  /** One paragraph only: rendered inline, with no block around it (most messages). */
  readonly inline: boolean;
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
          blocks.push({ kind: 'paragraph', children: this.inlines([...lead, ...inline], false) });
          break;
        }
        case 'code': {
          const code = token as Tokens.Code;
          // Four spaces of indent make no code block in a chat: only fences do.
          // Nothing between the fences (a line of backticks) is no code block either.
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

  private asTyped(token: Token): BlockNode {
    return { kind: 'paragraph', children: this.segments(typed(token), false) };
  }

  /** Inline tokens to nodes; runs of text are joined, then searched for links and mentions. */
  inlines(tokens: Token[], inLink: boolean): InlineNode[] {
    const nodes: InlineNode[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') nodes.push(...this.segments(text, inLink));
      text = '';
    };
    for (const token of tokens) {
      switch (token.type) {
        case 'text':
        case 'escape':
          text += token.text;
          break;
        case 'codespan':
          flush();
          nodes.push({ kind: 'code', text: token.text });
          break;
        case 'br':
          flush();
          nodes.push({ kind: 'br' });
          break;
        case 'strong':
        case 'em':
        case 'del':
          flush();
          nodes.push({ kind: token.type, children: this.inlines(token.tokens ?? [], inLink) });
          break;
        case 'link': {
          const href = inLink ? null : safeHref((token as Tokens.Link).href);
          if (href === null) {
            text += token.raw;
          } else {
            flush();
            nodes.push({ kind: 'link', href, children: this.inlines(token.tokens ?? [], true) });
          }
          break;
        }
        default:
          // HTML, images, anything else: the text as typed (`<b>x</b>` and `![x](y)` stay text).
          text += token.raw;
      }
    }
    flush();
    return nodes;
  }

  private segments(text: string, inLink: boolean): InlineNode[] {
    return segmentMessage(text, this.mentionName, { links: !inLink }).map((segment) =>
      segment.kind === 'link'
        ? { kind: 'link', href: segment.href, children: [{ kind: 'text', text: segment.text }] }
        : segment,
    );
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
  const blocks =
    tokens === null
      ? [
          {
            kind: 'paragraph' as const,
            children: builder.inlines([{ type: 'text', raw: text, text }], false),
          },
        ]
      : builder.blocks(tokens);
  return { blocks, inline: blocks.length === 1 && blocks[0].kind === 'paragraph' };
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
