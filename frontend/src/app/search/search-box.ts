import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  linkedSignal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import { LIMITS, type SearchHit } from '@flack/contract';
import { highlightParts, type TextPart } from './highlight';
import { SearchStore, type ShownHit } from './search-store';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Before the channel list knows a conversation (it arrives a moment later): its id says enough. */
function fallbackLabel(channelId: string): string {
  return channelId.startsWith('dm:') ? 'Direct message' : `#${channelId}`;
}

/** One result as the list shows it. */
interface ResultView {
  hit: ShownHit;
  where: string;
  time: string;
  parts: TextPart[];
}

/**
 * The "Search messages" field of the top bar, an ARIA combobox: typing searches every channel and
 * conversation the person is in (once typing pauses), the results drop down as a listbox with the
 * channel, author, time and the matched words marked; ↑/↓ choose, Enter or a click opens the
 * channel at that message, Escape closes the list (and a second Escape empties the field).
 */
@Component({
  selector: 'app-search-box',
  templateUrl: './search-box.html',
  styleUrl: './search-box.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(focusout)': 'onFocusOut($event)' },
})
export class SearchBox {
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly store = inject(SearchStore);

  /** How each conversation is called (`#general`, `@bob`), by channel id: the shell knows the channels. */
  readonly labels = input<ReadonlyMap<string, string>>(new Map());

  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

  protected readonly expanded = computed(() => this.store.open() && this.store.query().trim() !== '');
  protected readonly results = computed((): ResultView[] => {
    const terms = this.store.terms();
    const labels = this.labels();
    return this.store.hits().map((hit) => ({
      hit,
      where: labels.get(hit.message.channel) ?? fallbackLabel(hit.message.channel),
      time: timeFormat.format(new Date(hit.message.createdAt)),
      parts: highlightParts(hit.text, terms),
    }));
  });
  /** The chosen result, back to the first whenever new results arrive. */
  protected readonly selected = linkedSignal({ source: this.store.hits, computation: () => 0 });
  protected readonly activeOption = computed(() =>
    this.expanded() && this.results().length > 0 ? `search-result-${this.selected()}` : null,
  );
  /** What the list says about itself, read out as it changes. */
  protected readonly status = computed(() => {
    const state = this.store.state();
    switch (state.status) {
      case 'idle':
        return '';
      case 'invalid':
        return state.problem;
      case 'searching':
        return 'Searching…';
      case 'failed':
        return state.error.message;
      case 'done': {
        const count = state.hits.length;
        if (count === 0) return `No messages match “${this.store.query().trim()}”.`;
        if (count >= LIMITS.searchResults) return `The newest ${count} messages that match.`;
        return count === 1 ? '1 message matches.' : `${count} messages match.`;
      }
    }
  });
  protected readonly failed = computed(() => this.store.state().status === 'failed');

  constructor() {
    // A shortcut or the switcher asked for the field (the first run is the initial value).
    let asked = this.store.focusRequests();
    afterRenderEffect(() => {
      const requests = this.store.focusRequests();
      if (requests === asked) return;
      asked = requests;
      const field = this.field().nativeElement;
      field.focus();
      field.select();
    });
    afterRenderEffect(() => {
      const id = this.activeOption();
      if (id) this.document.getElementById(id)?.scrollIntoView?.({ block: 'nearest' });
    });
  }

  protected onInput(value: string): void {
    this.store.type(value);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    const count = this.results().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.store.show();
      if (count === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.selected.update((index) => (index + step + count) % count);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = this.results()[this.selected()];
      if (this.expanded() && this.store.state().status === 'done' && chosen) void this.choose(chosen.hit);
      else this.store.submit();
    } else if (event.key === 'Escape') {
      // Ours: not "mark the channel read" as well.
      if (this.expanded()) {
        event.preventDefault();
        this.store.hide();
      } else if (this.store.query() !== '') {
        event.preventDefault();
        this.store.clear();
      }
    }
  }

  /** Focus left the field and its list (a click elsewhere, Tab): the list closes. */
  protected onFocusOut(event: FocusEvent): void {
    const next = event.relatedTarget;
    if (!(next instanceof Node) || !this.host.nativeElement.contains(next)) this.store.hide();
  }

  protected async choose(hit: SearchHit): Promise<void> {
    this.store.hide();
    await this.router.navigate(['/c', hit.message.channel], { queryParams: { message: hit.message.id } });
  }
}
