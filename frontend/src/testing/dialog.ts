// jsdom has <dialog> but not showModal()/close(): enough of them for components that open one.

/** Gives HTMLDialogElement a `showModal()` and `close()` that toggle `open` and fire `close`. */
export function polyfillDialog(): void {
  const proto = HTMLDialogElement.prototype;
  if (typeof proto.showModal === 'function') return;
  proto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function (this: HTMLDialogElement) {
    if (!this.open) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}

/** What a browser does on Escape in a modal dialog: `cancel`, then close it (unless prevented). */
export function pressEscapeIn(dialog: HTMLDialogElement): void {
  const target = dialog.ownerDocument.activeElement ?? dialog;
  const keydown = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
  target.dispatchEvent(keydown);
  if (keydown.defaultPrevented) return;
  if (dialog.dispatchEvent(new Event('cancel', { cancelable: true }))) dialog.close();
}
