import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import type { Channel } from '@flack/contract';
import { Drawer } from '../core/drawer';
import { ChannelsStore } from '../channels/channels-store';
import { rankByName } from './channel-switcher';
import { ModalDialog } from './modal-dialog';

/** Width- and case-folded, as channel names are compared. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The channels whose name contains `query` (those starting with it first, see rankByName), then
 * those whose topic does; all of them, in list order, for an empty query. Unlike the switcher, no
 * letters-in-order matches: "release-42" lists release-42, not release-142 and release-242.
 */
export function browseMatches(channels: readonly Channel[], query: string): Channel[] {
  const wanted = fold(query.trim());
  if (wanted === '') return [...channels];
  const byName = rankByName(
    channels.filter((channel) => fold(channel.name).includes(wanted)),
    (channel) => channel.name,
    query,
  );
  const named = new Set(byName);
  const byTopic = channels.filter(
    (channel) => !named.has(channel) && channel.topic && fold(channel.topic).includes(wanted),
  );
  return [...byName, ...byTopic];
}

/**
 * Browse channels: every channel on the server with its topic and member count, filtered as one
 * types, to join or open. A modal `<dialog>` (shell/modal-dialog.ts); loaded only once asked for.
 * ↓ and ↑ move between the field and the channels' buttons; Enter in the field opens the first.
 */
@Component({
  selector: 'app-browse-channels',
  templateUrl: './browse-channels.html',
  styleUrl: './browse-channels.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BrowseChannels {
  private readonly router = inject(Router);
  private readonly channels = inject(ChannelsStore);
  private readonly drawer = inject(Drawer);

  readonly open = input(false);
  /** The dialog closed (Escape, Close, a click outside, or a channel picked). */
  readonly closed = output<void>();

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');
  private readonly list = viewChild<ElementRef<HTMLElement>>('list');
  private readonly modal = new ModalDialog(inject(DOCUMENT));

  protected readonly query = signal('');
  protected readonly joinedIds = this.channels.joinedIds;
  private readonly all = computed(() => this.channels.channels().filter((channel) => !channel.dm));
  protected readonly shown = computed(() => browseMatches(this.all(), this.query()));
  protected readonly summary = computed(() => {
    const total = this.all().length;
    const shown = this.shown().length;
    if (this.query().trim() === '') return `${total} ${total === 1 ? 'channel' : 'channels'}`;
    if (shown === 0) return `No channel matches “${this.query().trim()}”`;
    return `${shown} of ${total} ${total === 1 ? 'channel' : 'channels'}`;
  });

  constructor() {
    afterRenderEffect(() =>
      this.modal.sync(this.dialog().nativeElement, this.open(), () => this.field().nativeElement),
    );
  }

  protected type(query: string): void {
    this.query.set(query);
  }

  /** Enter in the field opens the first match; ↓ goes to the list. */
  protected onFieldKeydown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      const first = this.shown()[0];
      if (first) void this.pick(first);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.buttons()[0]?.focus();
    }
  }

  /** ↑/↓ on a channel's button: the previous or next one (↑ from the first: back to the field). */
  protected onListKeydown(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = this.buttons();
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    event.preventDefault();
    const next = at + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) this.field().nativeElement.focus();
    else buttons[Math.min(next, buttons.length - 1)].focus();
  }

  /** Joins (if need be) and opens the channel: the chat page does the joining. */
  protected async pick(channel: Channel): Promise<void> {
    this.modal.forgetFocus();
    this.dialog().nativeElement.close();
    this.drawer.close();
    await this.router.navigate(['/c', channel.id]);
  }

  protected close(): void {
    this.dialog().nativeElement.close();
  }

  /** Closed by Escape, Close, a click outside, or a pick. */
  protected onClose(): void {
    this.query.set('');
    // Also when the last keystroke has not been drawn yet (the binding would see no change).
    this.field().nativeElement.value = '';
    this.closed.emit();
    this.modal.restoreFocus(this.dialog().nativeElement);
  }

  private buttons(): HTMLButtonElement[] {
    return [...(this.list()?.nativeElement.querySelectorAll<HTMLButtonElement>('button.pick') ?? [])];
  }
}
