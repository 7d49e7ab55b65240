import { Directive, ElementRef, Input, Renderer2, inject } from '@angular/core';
import type { Run } from './message-doc';

/**
 * Fills its element with runs of text: a bare text node for plain text, a `<span>` with the run's
 * classes for bold, italic, struck or code. This is the one place the formatting makes DOM nodes
 * without a template, for speed: a long formatted message has about a hundred runs, and an Angular
 * view for each made opening a channel of 100 such messages take a second longer. Text goes in
 * with `createText` (a text node, never parsed as HTML) and the classes with `className`; the
 * renderer is the template's, so the spans get its style scope.
 */
@Directive({ selector: '[appMarkdownRuns]' })
export class MarkdownRuns {
  private readonly host: HTMLElement = inject(ElementRef).nativeElement;
  private readonly renderer = inject(Renderer2);

  /**
   * A setter rather than a signal input read in ngOnChanges: the OnChanges feature would be the
   * only part of Angular the initial bundle gains from the formatting.
   */
  @Input({ required: true }) set appMarkdownRuns(runs: Run[]) {
    const { host, renderer } = this;
    while (host.firstChild) renderer.removeChild(host, host.firstChild);
    for (const run of runs) {
      const text = renderer.createText(run.text);
      if (run.look === '') {
        renderer.appendChild(host, text);
      } else {
        const span = renderer.createElement('span');
        renderer.setProperty(span, 'className', run.look);
        renderer.appendChild(span, text);
        renderer.appendChild(host, span);
      }
    }
  }
}
