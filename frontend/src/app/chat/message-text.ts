import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MarkdownBlocks } from './markdown/markdown-blocks';
import { MarkdownLine } from './markdown/markdown-line';
import { messageDoc, type Line } from './markdown/message-doc';

export { segmentMessage, type TextSegment } from './markdown/text-segments';

/**
 * A message's text, formatted (bold, italic, strikethrough, code, quotes, lists, links) and bound
 * as text, never as HTML: links open in a new tab without handing it this page (`noopener`), and
 * a mention of the reader is highlighted. See markdown/message-doc.ts for what becomes what.
 */
@Component({
  selector: 'app-message-text',
  imports: [MarkdownBlocks, MarkdownLine],
  template: `@if (line(); as pieces) {
      <span class="line" appMarkdownLine [line]="pieces"></span>
    } @else {
      <div appMarkdownBlocks [blocks]="doc().blocks"></div>
    }`,
  styleUrl: './message-text.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.blocks]': '!doc().inline' },
})
export class MessageText {
  readonly text = input.required<string>();
  /** The reader's display name: `@` and this name is highlighted. Null highlights nothing. */
  readonly mentionName = input<string | null>(null);

  protected readonly doc = computed(() => messageDoc(this.text(), this.mentionName()));
  /** A message of one paragraph (most) is only its line(s), inline beside "(edited)". */
  protected readonly line = computed((): Line | null => {
    const { inline, blocks } = this.doc();
    return inline && blocks[0].kind === 'paragraph' ? blocks[0].line : null;
  });
}
