import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { searchQueryProblem, searchTerms, type SearchHit } from '@flack/contract';
import { toAppError, type AppError } from '../core/app-error';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';

/** How long typing must pause before the server is asked: one search per pause, not per key. */
export const SEARCH_DEBOUNCE_MS = 200;

/** A result with its message's text as a reader sees it: formatting marks left out, on one line. */
export interface ShownHit extends SearchHit {
  readonly text: string;
}

/**
 * Where a search stands: nothing asked yet (`idle`), a query the app refuses itself (`invalid`,
 * with the contract's reason), waiting for the server (`searching`), answered (`done`), or failed.
 */
export type SearchState =
  | { status: 'idle' }
  | { status: 'invalid'; problem: string }
  | { status: 'searching'; hits: readonly ShownHit[] }
  | { status: 'done'; hits: readonly ShownHit[] }
  | { status: 'failed'; error: AppError };

/**
 * Message search: what is typed in the search field, the server's answer to it (`message:search`),
 * and whether the results are showing. Typing waits for a pause (SEARCH_DEBOUNCE_MS); an answer to
 * an older query than the latest is dropped, so the list never jumps back to what was typed before.
 */
@Injectable({ providedIn: 'root' })
export class SearchStore {
  private readonly socket = inject(ChatSocket);

  private readonly typed = signal('');
  private readonly current = signal<SearchState>({ status: 'idle' });
  /** The query the state answers, whose words the results highlight. */
  private readonly answered = signal('');
  private readonly showing = signal(false);
  private readonly focusAsked = signal(0);
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every new query: an answer for an older one is not shown. */
  private generation = 0;

  readonly query = this.typed.asReadonly();
  readonly state = this.current.asReadonly();
  /** The folded words of the answered query, for highlighting (the contract's rule). */
  readonly terms = computed(() => searchTerms(this.answered()));
  readonly hits = computed(() => {
    const state = this.current();
    return state.status === 'done' || state.status === 'searching' ? state.hits : [];
  });
  readonly open = this.showing.asReadonly();
  /** Changes each time something (a shortcut, the switcher) asks for the search field to take focus. */
  readonly focusRequests = this.focusAsked.asReadonly();

  constructor() {
    inject(SessionStore)
      .signedOut.pipe(takeUntilDestroyed())
      .subscribe(() => this.clear());
  }

  /** The field changed: search once typing pauses. */
  type(query: string): void {
    this.typed.set(query);
    this.cancelPending();
    this.generation++;
    if (!this.settle(query)) {
      this.timer = setTimeout(() => void this.run(query), SEARCH_DEBOUNCE_MS);
    }
    this.showing.set(true);
  }

  /** Search for what is typed now, without waiting for the pause (Enter in the field). */
  submit(): void {
    const query = this.typed();
    this.cancelPending();
    this.generation++;
    if (!this.settle(query)) void this.run(query);
    this.showing.set(true);
  }

  /** Search for `query` now, show the results and put focus in the field (the switcher's last option). */
  searchNow(query: string): void {
    this.typed.set(query);
    this.submit();
    this.focusAsked.update((count) => count + 1);
  }

  /** Ask the search field to take focus (Ctrl/Cmd+Shift+F, `/`). */
  focus(): void {
    this.focusAsked.update((count) => count + 1);
  }

  show(): void {
    if (this.typed().trim() !== '') this.showing.set(true);
  }

  hide(): void {
    this.showing.set(false);
  }

  /** Empties the field and forgets the results. */
  clear(): void {
    this.cancelPending();
    this.generation++;
    this.typed.set('');
    this.answered.set('');
    this.current.set({ status: 'idle' });
    this.showing.set(false);
  }

  /**
   * Settles without the server what needs no server: an empty field is idle; a query the contract
   * refuses says why. True when settled.
   */
  private settle(query: string): boolean {
    if (query.trim() === '') {
      this.answered.set('');
      this.current.set({ status: 'idle' });
      return true;
    }
    const problem = searchQueryProblem(query);
    if (problem === null) return false;
    this.current.set({ status: 'invalid', problem });
    return true;
  }

  private async run(query: string): Promise<void> {
    this.timer = null;
    const generation = this.generation;
    // The previous answer stays on screen, marked as searching, until this one arrives.
    this.current.set({ status: 'searching', hits: this.hits() });
    try {
      const found = await this.socket.request('message:search', { query });
      // The markdown code is the chat page's, loaded on demand (it is usually there already).
      const { excerptText } = await import('../chat/markdown/message-doc');
      if (generation !== this.generation) return;
      const hits = found.map((hit) => ({ ...hit, text: excerptText(hit.message.text) }));
      this.answered.set(query);
      this.current.set({ status: 'done', hits });
    } catch (error) {
      if (generation !== this.generation) return;
      this.current.set({ status: 'failed', error: toAppError(error) });
    }
  }

  private cancelPending(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
