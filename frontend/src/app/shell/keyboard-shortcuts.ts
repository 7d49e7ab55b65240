import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { Drawer } from '../core/drawer';

/** The dialogs the keyboard opens; at most one is open at a time. */
export type ShortcutDialog = 'switcher' | 'help';

/** -1: the previous unread channel (Alt+Shift+↑), 1: the next one (Alt+Shift+↓). */
export type UnreadDirection = 1 | -1;

/** A field that takes typed characters: `?` typed there is text, not a shortcut. */
function isTypingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  // A dialog that just closed can keep focus in its field for a moment; nobody types there.
  if (target.closest('dialog:not([open])') !== null) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement &&
    !['button', 'checkbox', 'radio', 'submit', 'reset', 'image', 'range', 'color', 'file'].includes(
      target.type,
    )
  );
}

/**
 * The app's keyboard shortcuts: Ctrl/Cmd+K opens the channel switcher, `?` and Ctrl/Cmd+/ the
 * help, `/` and Ctrl/Cmd+Shift+F go to the message search, Alt+Shift+↑/↓ and Escape call what the
 * chat registered for them. The signed-in page feeds
 * it every `keydown` on the document (`handle`), so nothing here runs while signed out.
 *
 * A component that gives a key a meaning of its own (Escape to stop editing, say) calls
 * `event.preventDefault()`, and the shortcut leaves that key press alone.
 */
@Injectable({ providedIn: 'root' })
export class KeyboardShortcuts {
  private readonly document = inject(DOCUMENT);
  private readonly drawer = inject(Drawer);

  private readonly openDialog = signal<ShortcutDialog | null>(null);
  private unreadNavigation: ((direction: UnreadDirection) => void) | null = null;
  private markRead: (() => void) | null = null;
  private focusSearch: (() => void) | null = null;

  readonly switcherOpen = computed(() => this.openDialog() === 'switcher');
  readonly helpOpen = computed(() => this.openDialog() === 'help');
  /** Apple keyboards say Cmd and Option where others say Ctrl and Alt (both Ctrl and Cmd work). */
  readonly apple = /Mac|iPhone|iPad/.test(this.document.defaultView?.navigator.platform ?? '');

  open(dialog: ShortcutDialog): void {
    this.openDialog.set(dialog);
  }

  /** Closes `dialog` if it is the one open. */
  close(dialog: ShortcutDialog): void {
    if (this.openDialog() === dialog) this.openDialog.set(null);
  }

  private toggle(dialog: ShortcutDialog): void {
    this.openDialog.update((open) => (open === dialog ? null : dialog));
  }

  /**
   * What Alt+Shift+↑ (-1) and Alt+Shift+↓ (1) do: go to the previous or next unread channel.
   * Replaces what was registered before; call the returned function to unregister.
   */
  registerUnreadNavigation(navigate: (direction: UnreadDirection) => void): () => void {
    this.unreadNavigation = navigate;
    return () => {
      if (this.unreadNavigation === navigate) this.unreadNavigation = null;
    };
  }

  /**
   * What Escape does when no dialog or drawer is open: mark the open channel read.
   * Replaces what was registered before; call the returned function to unregister.
   */
  registerMarkRead(markRead: () => void): () => void {
    this.markRead = markRead;
    return () => {
      if (this.markRead === markRead) this.markRead = null;
    };
  }

  /**
   * What `/` (when not typing) and Ctrl/Cmd+Shift+F do: put focus in the message search.
   * Replaces what was registered before; call the returned function to unregister.
   */
  registerSearch(focusSearch: () => void): () => void {
    this.focusSearch = focusSearch;
    return () => {
      if (this.focusSearch === focusSearch) this.focusSearch = null;
    };
  }

  handle(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.isComposing) return;
    const command = event.ctrlKey || event.metaKey;
    const key = event.key;

    // Ctrl/Cmd+K works everywhere, the message field included (it would be the browser's search).
    if (command && !event.altKey && !event.shiftKey && key.toLowerCase() === 'k') {
      event.preventDefault();
      this.toggle('switcher');
    } else if (command && !event.altKey && (key === '/' || key === '?')) {
      event.preventDefault();
      this.toggle('help');
    } else if (command && event.shiftKey && !event.altKey && key.toLowerCase() === 'f') {
      // Everywhere, the message field included; the browser's find-in-page stays on Ctrl/Cmd+F.
      if (this.openDialog() !== null || !this.focusSearch) return;
      event.preventDefault();
      this.focusSearch();
    } else if (key === '/' && !command && !event.altKey && !isTypingIn(event.target)) {
      if (this.dialogIsOpen() || !this.focusSearch) return;
      event.preventDefault();
      this.focusSearch();
    } else if (key === '?' && !command && !event.altKey && !isTypingIn(event.target)) {
      // What is on screen, not our state: a dialog closed by Escape says so a moment later.
      if (this.document.querySelector('dialog[open]') !== null) return;
      event.preventDefault();
      this.open('help');
    } else if (event.altKey && event.shiftKey && !command && (key === 'ArrowUp' || key === 'ArrowDown')) {
      if (this.dialogIsOpen() || !this.unreadNavigation) return;
      event.preventDefault();
      this.unreadNavigation(key === 'ArrowUp' ? -1 : 1);
    } else if (key === 'Escape' && !command && !event.altKey && !event.shiftKey) {
      // A dialog closes itself on Escape; then the drawer; only then is it "mark read".
      if (this.dialogIsOpen()) return;
      if (this.drawer.isOpen()) this.drawer.close();
      else this.markRead?.();
    }
  }

  /** Ours, or any other modal dialog on the page. */
  private dialogIsOpen(): boolean {
    return this.openDialog() !== null || this.document.querySelector('dialog[open]') !== null;
  }
}
