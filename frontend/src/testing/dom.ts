// Small helpers to find things the way a person (or a screen reader) does: by label and by name.

/** The form control whose `<label>` reads exactly `text`. */
export function fieldLabelled<T extends HTMLElement = HTMLInputElement>(root: ParentNode, text: string): T {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  const control = [...root.querySelectorAll<T>('[id]')].find((el) => label && el.id === label.htmlFor);
  if (!control) throw new Error(`no field labelled "${text}"`);
  return control;
}

/** The button whose text (or aria-label) reads `name`. */
export function buttonNamed(root: ParentNode, name: string): HTMLButtonElement {
  const button = [...root.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent?.replace(/\s+/g, ' ').trim()) === name,
  );
  if (!button) throw new Error(`no button named "${name}"`);
  return button;
}

export function typeInto(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event('input'));
}

export function pressEnter(target: Element, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

/** Submits the form around `field`, as Enter in a text field does. */
export function submitFrom(field: HTMLElement): void {
  field.closest('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
}

export function text(element: Element | null | undefined): string {
  return element?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** What a screen reader reads for `element`: its text without the parts hidden from it. */
export function accessibleText(element: Element | null | undefined): string {
  if (!element) return '';
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return text(copy);
}
