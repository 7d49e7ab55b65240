import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MarkdownRuns } from './markdown-runs';
import type { Line } from './message-doc';

/**
 * A line of a message, as the children of the element it is put on (`<div appMarkdownLine>`).
 * Every piece of text is bound as text, never as HTML, and a link's address is one buildMessageDoc
 * checked (http or https). A run's look (bold, italic, struck, code) is classes on its `<span>`;
 * runs are made by MarkdownRuns, and one `@switch` per piece keeps a long formatted message cheap
 * to render (`[className]` is a plain property write, cheaper than Angular's `[class]` merging).
 */
@Component({
  // On the element it fills: a paragraph is one `<div>`, with no element of this component around it.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: '[appMarkdownLine]',
  imports: [MarkdownRuns],
  template: `@for (piece of line(); track $index) {
    @switch (piece.kind) {
      @case ('runs') {
        <span [appMarkdownRuns]="piece.runs"></span>
      }
      @case ('mention') {
        <mark [className]="'mention ' + piece.look">{{ piece.text }}</mark>
      }
      @case ('link') {
        <a [href]="piece.href" target="_blank" rel="noopener noreferrer nofollow">
          @for (run of piece.runs; track $index) {
            @if (run.mention) {
              <mark [className]="'mention ' + run.look">{{ run.text }}</mark>
            } @else {
              <span [className]="run.look">{{ run.text }}</span>
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
