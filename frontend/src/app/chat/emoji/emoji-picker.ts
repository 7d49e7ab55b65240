import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { searchEmoji, type EmojiEntry, type SkinTone } from './emoji-catalog';
import { EmojiStore } from './emoji-store';

/** The grid's width in cells: arrow Up and Down move by this much. */
export const PICKER_COLUMNS = 8;
const SEARCH_LIMIT = 96;
const RECENT_TAB = -1;

const TONES: readonly { tone: SkinTone; name: string }[] = [
  { tone: 0, name: 'Default skin tone' },
  { tone: 1, name: 'Light skin tone' },
  { tone: 2, name: 'Medium-light skin tone' },
  { tone: 3, name: 'Medium skin tone' },
  { tone: 4, name: 'Medium-dark skin tone' },
  { tone: 5, name: 'Dark skin tone' },
];

/**
 * `<app-emoji-picker (picked)="add($event)" (closed)="hide()" [anchor]="button" />`
 *
 * A self-contained emoji picker: it loads the emoji data itself (a lazy chunk, on first open) and
 * remembers the skin tone and the recently used emoji in this browser (EmojiStore). Searchable by
 * shortcode, name and tags; by category otherwise, "Recently used" first. Keyboard: it focuses its
 * search field when it appears; Arrow Down goes to the grid, arrows move in it, Enter picks, Escape
 * closes and puts focus back where it was before the picker opened.
 *
 * Inputs:
 * - `anchor` (optional): the element that toggles the picker; a click on it is not a click outside.
 * - `label` (optional): the dialog's accessible name, "Emoji" by default ("Add reaction", ...).
 *
 * Outputs:
 * - `picked`: the emoji, in the chosen skin tone; always a single RGI emoji (contract `isEmoji`).
 *   The picker stays open: the host removes it (or keeps it, to pick several).
 * - `closed`: Escape, or a click outside it. The host removes it.
 *
 * It sizes itself (about 320 × 360 px, narrower on small screens) but does not position itself:
 * the host places it (e.g. `position: absolute` above its button).
 */
@Component({
  selector: 'app-emoji-picker',
  templateUrl: './emoji-picker.html',
  styleUrl: './emoji-picker.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:pointerdown)': 'onDocumentPointerDown($event)' },
})
export class EmojiPicker {
  readonly anchor = input<HTMLElement | null>(null);
  readonly label = input('Emoji');
  readonly picked = output<string>();
  readonly closed = output<void>();

  private readonly store = inject(EmojiStore);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly searchField = viewChild<ElementRef<HTMLInputElement>>('search');
  private readonly grid = viewChild<ElementRef<HTMLElement>>('grid');
  /** Where focus was when the picker opened: Escape puts it back. */
  private readonly openedFrom = document.activeElement instanceof HTMLElement ? document.activeElement : null;

  protected readonly tones = TONES;
  protected readonly columns = PICKER_COLUMNS;
  protected readonly catalog = this.store.catalog;
  protected readonly skinTone = this.store.skinTone;
  protected readonly failed = signal(false);
  protected readonly query = signal('');
  protected readonly tab = signal<number | null>(null);
  /** The grid cell that Tab lands on (roving tabindex). */
  protected readonly active = signal(0);
  /** The emoji under the pointer or focus, named in the footer. */
  protected readonly previewed = signal<EmojiEntry | null>(null);
  protected readonly idPrefix = `emoji-picker-${nextId++}`;

  protected readonly recent = this.store.recent;
  protected readonly tabs = computed(() => {
    const catalog = this.catalog();
    if (!catalog) return [];
    const groups = catalog.groups.map((group) => ({ id: group.id, name: group.name, icon: group.icon }));
    return this.recent().length > 0
      ? [{ id: RECENT_TAB, name: 'Recently used', icon: '🕘' }, ...groups]
      : groups;
  });
  /** The tab on screen: the chosen one, else "Recently used" when there is any, else the first. */
  protected readonly currentTab = computed(() => this.tab() ?? this.tabs()[0]?.id ?? 0);
  protected readonly heading = computed(() => {
    if (this.query().trim() !== '') return `Results for “${this.query().trim()}”`;
    return this.tabs().find((tab) => tab.id === this.currentTab())?.name ?? '';
  });
  protected readonly visible = computed((): readonly EmojiEntry[] => {
    const catalog = this.catalog();
    if (!catalog) return [];
    const query = this.query().trim();
    if (query !== '') return searchEmoji(catalog, query.replace(/^:|:$/g, ''), SEARCH_LIMIT);
    const tab = this.currentTab();
    if (tab === RECENT_TAB) return this.recent();
    return catalog.entries.filter((entry) => entry.group === tab);
  });

  constructor() {
    this.store.load().catch(() => this.failed.set(true));
    afterNextRender(() => this.searchField()?.nativeElement.focus());
  }

  protected toned(entry: EmojiEntry): string {
    return this.store.toned(entry);
  }

  protected shortcode(entry: EmojiEntry): string {
    const code = entry.shortcodes[0];
    return code === undefined ? '' : `:${code}:`;
  }

  protected pick(entry: EmojiEntry): void {
    const emoji = this.store.toned(entry);
    this.store.remember(emoji);
    this.picked.emit(emoji);
  }

  protected setTone(tone: SkinTone): void {
    this.store.setSkinTone(tone);
  }

  protected showTab(id: number): void {
    this.query.set('');
    this.tab.set(id);
    this.active.set(0);
    this.grid()?.nativeElement.scrollTo?.({ top: 0 });
  }

  protected onSearch(value: string): void {
    this.query.set(value);
    this.active.set(0);
  }

  /** Enter in the search field picks the first result; Arrow Down goes to the grid. */
  protected onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      const first = this.visible()[0];
      if (first) this.pick(first);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.focusCell(0);
    }
  }

  protected onGridKey(event: KeyboardEvent): void {
    const count = this.visible().length;
    if (count === 0) return;
    const at = this.active();
    const moves: Record<string, number> = {
      ArrowLeft: at - 1,
      ArrowRight: at + 1,
      ArrowUp: at - PICKER_COLUMNS,
      ArrowDown: at + PICKER_COLUMNS,
      Home: 0,
      End: count - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    if (event.key === 'ArrowUp' && next < 0) {
      this.searchField()?.nativeElement.focus();
      return;
    }
    this.focusCell(Math.max(0, Math.min(count - 1, next)));
  }

  /** Escape closes from anywhere in the picker, and only the picker (not an edit, not the page). */
  protected onEscape(event: Event): void {
    event.preventDefault();
    event.stopPropagation();
    this.close(true);
  }

  protected onDocumentPointerDown(event: PointerEvent): void {
    const target = event.target instanceof Node ? event.target : null;
    if (target === null || this.host.nativeElement.contains(target)) return;
    if (this.anchor()?.contains(target)) return;
    this.close(false);
  }

  private close(returnFocus: boolean): void {
    this.closed.emit();
    if (returnFocus && this.openedFrom?.isConnected) this.openedFrom.focus();
  }

  private focusCell(index: number): void {
    this.active.set(index);
    this.grid()?.nativeElement.querySelectorAll<HTMLButtonElement>('button.cell')[index]?.focus();
  }
}

let nextId = 0;
