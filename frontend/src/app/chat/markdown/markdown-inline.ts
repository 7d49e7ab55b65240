import { ChangeDetectionStrategy, Component, forwardRef, input } from '@angular/core';
import type { InlineNode } from './message-doc';

/**
 * A line's nodes, as the children of the element it is put on (`<strong appMarkdownInline>`), so
 * nesting adds no element of its own. Every piece of text is bound as text, never as HTML, and a
 * link's address is one buildMessageDoc checked (http or https). It renders itself for what is
 * nested (a link in bold), which buildMessageDoc keeps shallow.
 */
@Component({
  // On the element it fills (`<strong appMarkdownInline>`): nesting adds no element of its own.
  // eslint-disable-next-line @angular-eslint/component-selector
  selector: '[appMarkdownInline]',
  // It renders itself for nested nodes (the AOT compiler would find that alone; JIT needs it said).
  imports: [forwardRef(() => MarkdownInline)],
  // Each piece is an element or a bare text node: no whitespace of the template gets into the text
  // (so the template is kept as written; a `<ng-container>` around the text would cost the initial
  // bundle half a kilobyte of Angular).
  // prettier-ignore
  template:
    `@for (node of nodes(); track $index) {` +
    `@switch (node.kind) {` +
    `@case ('text') {{{ node.text }}}` +
    `@case ('mention') {<mark class="mention">{{ node.text }}</mark>}` +
    `@case ('link') {<a appMarkdownInline [nodes]="node.children" [href]="node.href" target="_blank" rel="noopener noreferrer nofollow"></a>}` +
    `@case ('strong') {<strong appMarkdownInline [nodes]="node.children"></strong>}` +
    `@case ('em') {<em appMarkdownInline [nodes]="node.children"></em>}` +
    `@case ('del') {<del appMarkdownInline [nodes]="node.children"></del>}` +
    `@case ('code') {<code class="code" dir="auto">{{ node.text }}</code>}` +
    `@case ('br') {<br />}` +
    `}}`,
  styleUrl: './markdown-inline.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MarkdownInline {
  readonly nodes = input.required<InlineNode[]>();
}
