import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import type { Channel } from '@flack/contract';
import { ChannelsStore } from '../channels/channels-store';
import { Drawer } from '../core/drawer';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { ModalDialog } from './modal-dialog';

export interface SwitcherResult {
  channel: Channel;
  joined: boolean;
}

/** More than this many matches is a list nobody reads: the rest wait for more typing. */
export const MAX_RESULTS = 50;

/** Width- and case-folded, as channel names are compared. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * How well `name` matches `query` (both folded), lower is better, null for not at all: 0 starts
 * with it, 1 a word in it starts with it, 2 contains it, 3 has its characters in order ("gnrl").
 */
function matchQuality(name: string, query: string): number | null {
  if (query === '') return 0;
  const at = name.indexOf(query);
  if (at === 0) return 0;
  if (at > 0) return /[\s\-_.]/u.test(name[at - 1]) ? 1 : 2;
  const wanted = [...query];
  let found = 0;
  for (const character of name) if (character === wanted[found]) found++;
  return found === wanted.length ? 3 : null;
}

/**
 * The channels matching `query`: those containing it before those that merely have its letters
 * in order, joined ones first within each, then the better match, then the store's order (by name).
 */
export function rankChannels(
  joined: readonly Channel[],
  others: readonly Channel[],
  query: string,
): SwitcherResult[] {
  const wanted = fold(query.trim());
  return [
    ...joined.map((channel) => ({ channel, joined: true })),
    ...others.map((channel) => ({ channel, joined: false })),
  ]
    .map((result, order) => ({ result, order, quality: matchQuality(fold(result.channel.name), wanted) }))
    .filter((ranked): ranked is typeof ranked & { quality: number } => ranked.quality !== null)
    .sort(
      (a, b) =>
        Number(a.quality === 3) - Number(b.quality === 3) ||
        Number(b.result.joined) - Number(a.result.joined) ||
        a.quality - b.quality ||
        a.order - b.order,
    )
    .map(({ result }) => result);
}

/**
 * Ctrl/Cmd+K: a modal dialog with a "Jump to…" field that filters every channel as one types;
 * ↑/↓ choose, Enter opens the chosen channel, Escape closes and gives focus back.
 */
@Component({
  selector: 'app-channel-switcher',
  templateUrl: './channel-switcher.html',
  styleUrl: './channel-switcher.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelSwitcher {
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly channels = inject(ChannelsStore);
  private readonly drawer = inject(Drawer);
  private readonly shortcuts = inject(KeyboardShortcuts);

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');
  private readonly modal = new ModalDialog(this.document);

  protected readonly query = signal('');
  protected readonly selected = signal(0);
  private readonly matches = computed(() =>
    rankChannels(this.channels.joined(), this.channels.notJoined(), this.query()),
  );
  protected readonly results = computed(() => this.matches().slice(0, MAX_RESULTS));
  protected readonly more = computed(() => this.matches().length - this.results().length);
  protected readonly activeId = this.channels.activeId;
  protected readonly selectedOption = computed(() =>
    this.results().length > 0 ? `switcher-option-${this.selected()}` : null,
  );

  constructor() {
    afterRenderEffect(() =>
      this.modal.sync(
        this.dialog().nativeElement,
        this.shortcuts.switcherOpen(),
        () => this.field().nativeElement,
      ),
    );
    // Keep the chosen option in view as the arrows move through a long list.
    afterRenderEffect(() => {
      const id = this.selectedOption();
      if (id) this.document.getElementById(id)?.scrollIntoView?.({ block: 'nearest' });
    });
  }

  protected search(query: string): void {
    this.query.set(query);
    this.selected.set(0);
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.results().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.selected.update((index) => (index + step + count) % count);
    } else if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      const chosen = this.results()[this.selected()];
      if (chosen) void this.go(chosen);
    }
  }

  /** Closed by Escape, a click outside, or the shortcut again. */
  protected onClose(): void {
    this.shortcuts.close('switcher');
    this.query.set('');
    this.selected.set(0);
    this.modal.restoreFocus(this.dialog().nativeElement);
  }

  protected async go(result: SwitcherResult): Promise<void> {
    this.modal.forgetFocus();
    this.shortcuts.close('switcher');
    this.drawer.close();
    await this.router.navigate(['/c', result.channel.id]);
  }
}
