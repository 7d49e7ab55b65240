/**
 * Drives a native `<dialog>` from a signal: `showModal()` when it should be open, `close()` when
 * not, and focus back where it was once it closes. Both dialogs of the shell use it.
 */
export class ModalDialog {
  /** Where focus was before the dialog opened. */
  private returnFocusTo: HTMLElement | null = null;

  constructor(private readonly document: Document) {}

  /** Call from an `afterRenderEffect` with whether the dialog should be open now. */
  sync(dialog: HTMLDialogElement, open: boolean, focusOnOpen: () => HTMLElement): void {
    if (open && !dialog.open) {
      const focused = this.document.activeElement;
      this.returnFocusTo = focused instanceof HTMLElement ? focused : null;
      dialog.showModal();
      focusOnOpen().focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }

  /** Leave focus where the next page puts it (e.g. after opening another channel). */
  forgetFocus(): void {
    this.returnFocusTo = null;
  }

  /**
   * From the dialog's `close` event, which browsers fire a moment after it closed: focus goes
   * back to where it was, unless it has already moved on (the person clicked or tabbed elsewhere).
   */
  restoreFocus(dialog: HTMLDialogElement): void {
    const returnTo = this.returnFocusTo;
    this.returnFocusTo = null;
    const focused = this.document.activeElement;
    const stranded = focused === null || focused === this.document.body || dialog.contains(focused);
    if (returnTo?.isConnected && stranded) returnTo.focus();
  }
}
