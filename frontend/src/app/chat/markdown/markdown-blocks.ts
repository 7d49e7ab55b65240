import { ChangeDetectionStrategy, Component, forwardRef, input } from '@angular/core';
import { MarkdownLine } from './markdown-line';
import type { BlockNode } from './message-doc';

/**
 * A message's blocks (paragraphs, code blocks, quotes, lists), as the children of the element it
 * is put on; it renders itself for a quote or a list item's blocks.
 */
@Component({
  // On the element it fills (`<li appMarkdownBlocks>`): nesting adds no element of its own.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: '[appMarkdownBlocks]',
  // It renders itself for nested blocks (the AOT compiler would find that alone; JIT needs it said).
  imports: [MarkdownLine, forwardRef(() => MarkdownBlocks)],
  template: `@for (block of blocks(); track $index) {
    @switch (block.kind) {
      @case ('paragraph') {
        <div class="block paragraph" dir="auto" appMarkdownLine [line]="block.line"></div>
      }
      @case ('code') {
        <pre class="block code-block" dir="auto" tabindex="0"><code>{{ block.text }}</code></pre>
      }
      @case ('quote') {
        <blockquote class="block quote" dir="auto" appMarkdownBlocks [blocks]="block.children"></blockquote>
      }
      @case ('list') {
        @if (block.ordered) {
          <ol class="block list" [attr.start]="block.start">
            @for (item of block.items; track $index) {
              <li dir="auto" appMarkdownBlocks [blocks]="item"></li>
            }
          </ol>
        } @else {
          <ul class="block list">
            @for (item of block.items; track $index) {
              <li dir="auto" appMarkdownBlocks [blocks]="item"></li>
            }
          </ul>
        }
      }
    }
  }`,
  styleUrl: './markdown-blocks.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MarkdownBlocks {
  readonly blocks = input.required<BlockNode[]>();
}
