import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { buttonNamed, fieldLabelled, text, typeInto } from '../../../testing/dom';
import type { CompactEmojiData, ShortcodeData } from './emoji-catalog';
import { EmojiPicker, PICKER_COLUMNS } from './emoji-picker';
import { EmojiStore } from './emoji-store';

// The real emoji data (see emoji-catalog.spec.ts for why it is not imported from emoji-data.ts).
jest.mock('./emoji-data', () => ({
  catalog: jest
    .requireActual<typeof import('./emoji-catalog')>('./emoji-catalog')
    .buildCatalog(
      jest.requireActual<CompactEmojiData[]>('emojibase-data/en/compact.json'),
      jest.requireActual<ShortcodeData>('emojibase-data/en/shortcodes/github.json'),
    ),
}));

describe('EmojiPicker', () => {
  let fixture: ComponentFixture<EmojiPicker>;
  let picked: string[];
  let closed: number;
  let opener: HTMLButtonElement;

  async function open(): Promise<void> {
    fixture = TestBed.createComponent(EmojiPicker);
    fixture.componentInstance.picked.subscribe((emoji) => picked.push(emoji));
    fixture.componentInstance.closed.subscribe(() => closed++);
    document.body.append(fixture.nativeElement);
    fixture.componentRef.setInput('anchor', opener);
    await TestBed.inject(EmojiStore).load();
    await fixture.whenStable();
  }

  const root = () => fixture.nativeElement as HTMLElement;
  const search = () => fieldLabelled(root(), 'Search emoji');
  const cells = () => [...root().querySelectorAll<HTMLButtonElement>('button.cell')];
  const key = (target: Element, name: string) => {
    const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true });
    target.dispatchEvent(event);
    return event;
  };

  beforeEach(async () => {
    picked = [];
    closed = 0;
    opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    await open();
  });

  afterEach(() => {
    fixture.destroy();
    document.body.innerHTML = '';
  });

  it('focuses its search field and shows the first category', () => {
    expect(document.activeElement).toBe(search());
    expect(buttonNamed(root(), 'Smileys & emotion').getAttribute('aria-pressed')).toBe('true');
    expect(cells()[0]?.getAttribute('aria-label')).toBe('grinning face');
    expect(root().querySelector('[role="dialog"]')?.getAttribute('aria-label')).toBe('Emoji');
  });

  it('searches by name, tag or shortcode; Enter picks the first result', async () => {
    typeInto(search(), 'popper');
    await fixture.whenStable();
    expect(cells()[0]?.getAttribute('aria-label')).toBe('party popper');

    typeInto(search(), ':tada:');
    await fixture.whenStable();
    key(search(), 'Enter');

    expect(picked).toEqual(['🎉']);

    typeInto(search(), 'zzzzqx');
    await fixture.whenStable();
    expect(text(root())).toContain('No emoji found.');
  });

  it('moves through the grid with the arrow keys, one Tab stop in it', async () => {
    key(search(), 'ArrowDown');
    expect(document.activeElement).toBe(cells()[0]);

    key(cells()[0]!, 'ArrowRight');
    await fixture.whenStable();
    expect(document.activeElement).toBe(cells()[1]);
    key(cells()[1]!, 'ArrowDown');
    await fixture.whenStable();
    expect(document.activeElement).toBe(cells()[1 + PICKER_COLUMNS]);
    expect(cells().filter((cell) => cell.tabIndex === 0)).toEqual([cells()[1 + PICKER_COLUMNS]]);
    key(cells()[1 + PICKER_COLUMNS]!, 'ArrowUp');
    key(cells()[1]!, 'ArrowUp');
    expect(document.activeElement).toBe(search());
    key(search(), 'ArrowDown');
    key(cells()[0]!, 'End');
    expect(document.activeElement).toBe(cells().at(-1));
  });

  it('applies and remembers the skin tone, and lists what was used first next time', async () => {
    buttonNamed(root(), 'Medium skin tone').click();
    typeInto(search(), 'thumbs up');
    await fixture.whenStable();
    cells()[0]!.click();
    expect(picked).toEqual(['👍🏽']);
    expect(buttonNamed(root(), 'Medium skin tone').getAttribute('aria-pressed')).toBe('true');

    // A new visit: the store (and picker) start again from what this browser remembered.
    fixture.destroy();
    TestBed.resetTestingModule();
    await open();

    expect(buttonNamed(root(), 'Medium skin tone').getAttribute('aria-pressed')).toBe('true');
    expect(buttonNamed(root(), 'Recently used').getAttribute('aria-pressed')).toBe('true');
    expect(cells().map((cell) => cell.textContent?.trim())).toEqual(['👍🏽']);
  });

  it('shows a category when its tab is chosen', async () => {
    buttonNamed(root(), 'Flags').click();
    await fixture.whenStable();

    expect(text(root().querySelector('.heading'))).toBe('Flags');
    expect(cells().some((cell) => cell.getAttribute('aria-label') === 'flag: France')).toBe(true);
  });

  it('closes on Escape, giving focus back to where it was', () => {
    const escape = key(cells()[0]!, 'Escape');

    expect(closed).toBe(1);
    expect(escape.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(opener);
  });

  it('closes on a click outside it, but not on its anchor', () => {
    opener.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    cells()[0]!.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(closed).toBe(0);

    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(closed).toBe(1);
  });
});
