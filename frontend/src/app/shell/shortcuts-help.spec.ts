import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { polyfillDialog, pressEscapeIn } from '../../testing/dialog';
import { buttonNamed, text } from '../../testing/dom';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { ShortcutsHelp, shortcutGroups } from './shortcuts-help';

describe('ShortcutsHelp', () => {
  let fixture: ComponentFixture<ShortcutsHelp>;
  let shortcuts: KeyboardShortcuts;
  let opener: HTMLButtonElement;

  const dialog = () => fixture.nativeElement.querySelector('dialog') as HTMLDialogElement;
  /** Each shortcut as it reads: "Ctrl+K: Jump to a channel". */
  const entries = () =>
    [...fixture.nativeElement.querySelectorAll('dt')].map(
      (dt) => `${text(dt)}: ${text((dt as Element).nextElementSibling)}`,
    );

  beforeAll(polyfillDialog);

  beforeEach(async () => {
    shortcuts = TestBed.inject(KeyboardShortcuts);
    fixture = TestBed.createComponent(ShortcutsHelp);
    opener = document.body.appendChild(document.createElement('button'));
    opener.focus();
    await fixture.whenStable();
    shortcuts.open('help');
    await fixture.whenStable();
  });

  afterEach(() => opener.remove());

  it('is a modal dialog named "Keyboard shortcuts", with focus on Close', () => {
    expect(dialog().open).toBe(true);
    expect(text(document.getElementById(dialog().getAttribute('aria-labelledby') ?? ''))).toBe(
      'Keyboard shortcuts',
    );
    expect(document.activeElement).toBe(buttonNamed(dialog(), 'Close'));
  });

  it('lists every shortcut', () => {
    const command = shortcuts.apple ? 'Cmd' : 'Ctrl';
    const alt = shortcuts.apple ? 'Option' : 'Alt';
    expect(entries()).toEqual([
      `${command}+K: Jump to a channel or person`,
      `/ or ${command}+Shift+F: Search messages`,
      `${alt}+Shift+↑: Previous unread channel`,
      `${alt}+Shift+↓: Next unread channel`,
      'Esc: Mark the current channel read',
      `? or ${command}+/: Show these shortcuts`,
      'Enter: Send',
      'Shift+Enter: New line',
      '↑: Edit your last message (when the field is empty)',
    ]);
    expect([...fixture.nativeElement.querySelectorAll('h3')].map(text)).toEqual([
      'Anywhere',
      'In the message field',
    ]);
  });

  it('closes with Close and gives focus back', async () => {
    buttonNamed(dialog(), 'Close').click();
    await fixture.whenStable();

    expect(dialog().open).toBe(false);
    expect(shortcuts.helpOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('closes with Escape', async () => {
    pressEscapeIn(dialog());
    await fixture.whenStable();

    expect(dialog().open).toBe(false);
    expect(shortcuts.helpOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('leaves focus alone if it moved on before the dialog finished closing', async () => {
    const elsewhere = document.body.appendChild(document.createElement('textarea'));
    shortcuts.close('help');
    elsewhere.focus();
    dialog().dispatchEvent(new Event('close'));

    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });

  it('names the keys of an Apple keyboard', () => {
    const [anywhere] = shortcutGroups(true);
    expect(anywhere.entries[0].keys).toEqual([['Cmd', 'K']]);
    expect(anywhere.entries[1].keys).toEqual([['/'], ['Cmd', 'Shift', 'F']]);
    expect(anywhere.entries[2].keys).toEqual([['Option', 'Shift', '↑']]);
  });
});
