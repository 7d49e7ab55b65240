import { TestBed } from '@angular/core/testing';
import { Drawer } from '../core/drawer';
import { KeyboardShortcuts } from './keyboard-shortcuts';

describe('KeyboardShortcuts', () => {
  let shortcuts: KeyboardShortcuts;
  let field: HTMLTextAreaElement;
  let button: HTMLButtonElement;
  const feed = (event: KeyboardEvent) => shortcuts.handle(event);

  /** Presses `key` on `target` (the page itself by default), as the browser would dispatch it. */
  function press(key: string, init: KeyboardEventInit = {}, target: Element = document.body): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    return event;
  }

  beforeEach(() => {
    shortcuts = TestBed.inject(KeyboardShortcuts);
    document.addEventListener('keydown', feed);
    field = document.body.appendChild(document.createElement('textarea'));
    button = document.body.appendChild(document.createElement('button'));
  });

  afterEach(() => {
    document.removeEventListener('keydown', feed);
    field.remove();
    button.remove();
  });

  describe('channel switcher', () => {
    it('opens on Ctrl+K or Cmd+K, also while typing a message, instead of the browser’s own', () => {
      const event = press('k', { ctrlKey: true }, field);

      expect(shortcuts.switcherOpen()).toBe(true);
      expect(event.defaultPrevented).toBe(true);

      shortcuts.close('switcher');
      press('K', { metaKey: true });
      expect(shortcuts.switcherOpen()).toBe(true);
    });

    it('closes on the shortcut again, and replaces the help', () => {
      shortcuts.open('help');

      press('k', { ctrlKey: true });
      expect(shortcuts.switcherOpen()).toBe(true);
      expect(shortcuts.helpOpen()).toBe(false);

      press('k', { ctrlKey: true });
      expect(shortcuts.switcherOpen()).toBe(false);
    });

    it('leaves Ctrl+Shift+K and plain k alone', () => {
      expect(press('K', { ctrlKey: true, shiftKey: true }).defaultPrevented).toBe(false);
      expect(press('k').defaultPrevented).toBe(false);
      expect(shortcuts.switcherOpen()).toBe(false);
    });
  });

  describe('help', () => {
    it('opens on ? when not typing', () => {
      const event = press('?', { shiftKey: true }, button);

      expect(shortcuts.helpOpen()).toBe(true);
      expect(event.defaultPrevented).toBe(true);
    });

    it('opens on ? right after Escape closed the switcher, before its close event', () => {
      shortcuts.open('switcher');

      press('?', { shiftKey: true }, button);
      expect(shortcuts.helpOpen()).toBe(true);
    });

    it('opens on ? pressed while focus is still in the field of a dialog that just closed', () => {
      const closed = document.body.appendChild(document.createElement('dialog'));
      const query = closed.appendChild(document.createElement('input'));

      expect(press('?', { shiftKey: true }, query).defaultPrevented).toBe(true);
      expect(shortcuts.helpOpen()).toBe(true);
      closed.remove();
    });

    it('leaves ? alone while a dialog is open', () => {
      const other = document.body.appendChild(document.createElement('dialog'));
      other.setAttribute('open', '');

      expect(press('?', { shiftKey: true }, button).defaultPrevented).toBe(false);
      expect(shortcuts.helpOpen()).toBe(false);
      other.remove();
    });

    it('lets ? be typed in a text field', () => {
      const input = document.body.appendChild(document.createElement('input'));

      expect(press('?', { shiftKey: true }, field).defaultPrevented).toBe(false);
      expect(press('?', { shiftKey: true }, input).defaultPrevented).toBe(false);
      expect(shortcuts.helpOpen()).toBe(false);
      input.remove();
    });

    it('opens and closes on Ctrl+/ or Cmd+/ anywhere', () => {
      press('/', { ctrlKey: true }, field);
      expect(shortcuts.helpOpen()).toBe(true);

      press('/', { metaKey: true });
      expect(shortcuts.helpOpen()).toBe(false);
    });
  });

  describe('message search', () => {
    let asked: number;
    beforeEach(() => {
      asked = 0;
      shortcuts.registerSearch(() => asked++);
    });

    it('goes to the search on / when not typing, and lets / be typed in a field', () => {
      const event = press('/', {}, button);
      expect(asked).toBe(1);
      expect(event.defaultPrevented).toBe(true);

      expect(press('/', {}, field).defaultPrevented).toBe(false);
      expect(asked).toBe(1);
    });

    it('goes to the search on Ctrl+Shift+F or Cmd+Shift+F, also from the message field', () => {
      const event = press('F', { ctrlKey: true, shiftKey: true }, field);
      press('f', { metaKey: true, shiftKey: true });

      expect(asked).toBe(2);
      expect(event.defaultPrevented).toBe(true);
    });

    it('leaves the browser its Ctrl+F, and does nothing while a dialog is open', () => {
      expect(press('f', { ctrlKey: true }).defaultPrevented).toBe(false);
      shortcuts.open('help');
      press('/', {}, button);
      press('F', { ctrlKey: true, shiftKey: true });

      expect(asked).toBe(0);
    });
  });

  describe('unread navigation', () => {
    it('calls what was registered: -1 on Alt+Shift+↑, 1 on Alt+Shift+↓, also from the message field', () => {
      const directions: number[] = [];
      shortcuts.registerUnreadNavigation((direction) => directions.push(direction));

      const up = press('ArrowUp', { altKey: true, shiftKey: true }, field);
      press('ArrowDown', { altKey: true, shiftKey: true });

      expect(directions).toEqual([-1, 1]);
      expect(up.defaultPrevented).toBe(true);
    });

    it('does nothing, and keeps the key’s own meaning, when nothing is registered', () => {
      const directions: number[] = [];
      const unregister = shortcuts.registerUnreadNavigation((direction) => directions.push(direction));
      unregister();

      const event = press('ArrowUp', { altKey: true, shiftKey: true }, field);

      expect(directions).toEqual([]);
      expect(event.defaultPrevented).toBe(false);
    });

    it('ignores arrows without both Alt and Shift, and arrows while a dialog is open', () => {
      const directions: number[] = [];
      shortcuts.registerUnreadNavigation((direction) => directions.push(direction));

      press('ArrowUp', { altKey: true });
      press('ArrowUp', { shiftKey: true });
      shortcuts.open('switcher');
      press('ArrowDown', { altKey: true, shiftKey: true });

      expect(directions).toEqual([]);
    });

    it('keeps the newest registration; an older unregister does not remove it', () => {
      const calls: string[] = [];
      const unregisterFirst = shortcuts.registerUnreadNavigation(() => calls.push('first'));
      shortcuts.registerUnreadNavigation(() => calls.push('second'));
      unregisterFirst();

      press('ArrowDown', { altKey: true, shiftKey: true });

      expect(calls).toEqual(['second']);
    });
  });

  describe('Escape', () => {
    let marked: number;
    beforeEach(() => {
      marked = 0;
      shortcuts.registerMarkRead(() => marked++);
    });

    it('marks the channel read, also from the message field', () => {
      press('Escape');
      press('Escape', {}, field);

      expect(marked).toBe(2);
    });

    it('closes the drawer first, when it is open', () => {
      const drawer = TestBed.inject(Drawer);
      drawer.open();

      press('Escape');
      expect(drawer.isOpen()).toBe(false);
      expect(marked).toBe(0);

      press('Escape');
      expect(marked).toBe(1);
    });

    it('leaves a dialog to close itself', () => {
      shortcuts.open('help');
      press('Escape');

      const other = document.body.appendChild(document.createElement('dialog'));
      other.setAttribute('open', '');
      shortcuts.close('help');
      press('Escape');
      other.remove();

      expect(marked).toBe(0);
    });

    it('does nothing when a component handled the key itself (preventDefault)', () => {
      field.addEventListener('keydown', (event) => event.preventDefault(), { once: true });

      press('Escape', {}, field);

      expect(marked).toBe(0);
    });

    it('does nothing once unregistered', () => {
      const unregister = shortcuts.registerMarkRead(() => (marked += 10));
      unregister();

      press('Escape');

      expect(marked).toBe(0);
    });
  });
});
