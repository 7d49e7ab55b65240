import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { Line } from './message-doc';

/**
 * A line of a message, as the children of the element it is put on (`<div appMarkdownLine>`).
 * Every piece of text is bound as text, never as HTML, and a link's address is one buildMessageDoc
 * checked (http or https). A run's look (bold, italic, struck, code) is classes on its `<span>`:
 * one element per run and one `@switch` per piece keep a long formatted message cheap to render.
 */
@Component({
  // On the element it fills: a paragraph is one `<div>`, with no element of this component around it.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: '[appMarkdownLine]',
  template: `@for (piece of line(); track $index) {
    @switch (piece.kind) {
      @case ('runs') {
        @for (run of piece.runs; track $index) {
          <span [class]="run.look">{{ run.text }}</span>
        }
      }
      @case ('mention') {
        <mark class="mention" [class]="piece.look">{{ piece.text }}</mark>
      }
      @case ('link') {
        <a [href]="piece.href" target="_blank" rel="noopener noreferrer nofollow">
          @for (run of piece.runs; track $index) {
            @if (run.mention) {
              <mark class="mention" [class]="run.look">{{ run.text }}</mark>
            } @else {
              <span [class]="run.look">{{ run.text }}</span>
            }
          }
        </a>
      }
    }
  }`,
  styleUrl: './markdown-line.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MarkdownLine {
  readonly line = input.required<Line>();
}
