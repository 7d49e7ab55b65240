import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  viewChild,
} from '@angular/core';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { ModalDialog } from './modal-dialog';

/** One shortcut: the keys pressed together (or the alternatives, with "or"), and what it does. */
export interface ShortcutEntry {
  keys: readonly (readonly string[])[];
  does: string;
}

export interface ShortcutGroup {
  title: string;
  entries: readonly ShortcutEntry[];
}

/** Every shortcut in the app, named for this keyboard (Ctrl or Cmd, Alt or Option). */
export function shortcutGroups(apple: boolean): ShortcutGroup[] {
  const command = apple ? 'Cmd' : 'Ctrl';
  const alt = apple ? 'Option' : 'Alt';
  return [
    {
      title: 'Anywhere',
      entries: [
        { keys: [[command, 'K']], does: 'Jump to a channel or person' },
        { keys: [['/'], [command, 'Shift', 'F']], does: 'Search messages' },
        { keys: [[alt, 'Shift', '↑']], does: 'Previous unread channel' },
        { keys: [[alt, 'Shift', '↓']], does: 'Next unread channel' },
        { keys: [['Esc']], does: 'Mark the current channel read' },
        { keys: [['?'], [command, '/']], does: 'Show these shortcuts' },
      ],
    },
    {
      title: 'In the message field',
      entries: [
        { keys: [['Enter']], does: 'Send' },
        { keys: [['Shift', 'Enter']], does: 'New line' },
        { keys: [['↑']], does: 'Edit your last message (when the field is empty)' },
      ],
    },
  ];
}

/** `?` or Ctrl/Cmd+/: a modal dialog listing the keyboard shortcuts; Escape or Close closes it. */
@Component({
  selector: 'app-shortcuts-help',
  templateUrl: './shortcuts-help.html',
  styleUrl: './shortcuts-help.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShortcutsHelp {
  private readonly shortcuts = inject(KeyboardShortcuts);

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly closeButton = viewChild.required<ElementRef<HTMLButtonElement>>('closeButton');
  private readonly modal = new ModalDialog(inject(DOCUMENT));

  protected readonly groups = computed(() => shortcutGroups(this.shortcuts.apple));

  constructor() {
    afterRenderEffect(() =>
      this.modal.sync(
        this.dialog().nativeElement,
        this.shortcuts.helpOpen(),
        () => this.closeButton().nativeElement,
      ),
    );
  }

  protected close(): void {
    this.shortcuts.close('help');
  }

  /** Closed by Escape, Close, a click outside, or the shortcut again. */
  protected onClose(): void {
    this.shortcuts.close('help');
    this.modal.restoreFocus(this.dialog().nativeElement);
  }
}
