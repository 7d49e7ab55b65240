import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { InlineNode, MessageDoc } from './message-doc';

/**
 * A formatted message, built from its nodes with templates only: every piece of text is bound as
 * text, never as HTML, and a link's address is one that buildMessageDoc checked (http or https).
 * The two templates call themselves for what is nested (bold in a quote in a list), which
 * buildMessageDoc keeps shallow.
 */
@Component({
  selector: 'app-markdown',
  imports: [NgTemplateOutlet],
  templateUrl: './markdown-view.html',
  styleUrl: './markdown-view.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MarkdownView {
  readonly doc = input.required<MessageDoc>();

  /** A message of one paragraph is only its line(s): no block around it. */
  protected readonly inline = computed((): InlineNode[] | null => {
    const { inline, blocks } = this.doc();
    return inline && blocks[0].kind === 'paragraph' ? blocks[0].children : null;
  });
}
