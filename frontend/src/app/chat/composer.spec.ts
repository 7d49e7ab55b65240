import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { fieldLabelled, pressEnter, text, typeInto } from '../../testing/dom';
import { Composer } from './composer';

describe('Composer', () => {
  let fixture: ComponentFixture<Composer>;
  let sent: string[];
  let field: HTMLTextAreaElement;

  beforeEach(async () => {
    fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('channelName', '#general');
    sent = [];
    fixture.componentInstance.send.subscribe((message) => sent.push(message));
    await fixture.whenStable();
    field = fieldLabelled<HTMLTextAreaElement>(fixture.nativeElement, 'Message');
  });

  async function type(value: string) {
    typeInto(field, value);
    await fixture.whenStable();
  }

  it('sends the trimmed text on Enter', async () => {
    await type('  hello there \n');

    const enter = pressEnter(field);

    expect(sent).toEqual(['hello there']);
    expect(enter.defaultPrevented).toBe(true);
  });

  it('keeps Shift+Enter as a new line', async () => {
    await type('first line');

    const shiftEnter = pressEnter(field, { shiftKey: true });

    expect(sent).toEqual([]);
    expect(shiftEnter.defaultPrevented).toBe(false);
  });

  it('sends nothing when there is nothing to send', async () => {
    await type(' \n ');

    pressEnter(field);

    expect(sent).toEqual([]);
  });

  it('refuses text over the limit and says by how much', async () => {
    await type('x'.repeat(2001));

    pressEnter(field);

    expect(sent).toEqual([]);
    expect(text(fixture.nativeElement)).toContain('2001 / 2000');
    expect(field.getAttribute('aria-invalid')).toBe('true');
  });

  it('counts what a person sees: 1,001 × 👍🏽 is 1,001 characters and goes', async () => {
    await type('👍🏽'.repeat(1001));

    pressEnter(field);

    expect(sent).toEqual(['👍🏽'.repeat(1001)]);
    expect(field.getAttribute('aria-invalid')).toBeNull();
  });

  it('refuses 2,001 flags and families, saying why in words', async () => {
    await type('🇫🇷👩‍👩‍👧‍👦'.repeat(1000) + '👍🏽');

    pressEnter(field);

    expect(sent).toEqual([]);
    expect(text(fixture.nativeElement)).toContain('2001 / 2000');
    expect(text(fixture.nativeElement)).toContain('A message can be at most 2,000 characters.');
  });

  it('shows the draft it is given, and names the channel', async () => {
    fixture.componentRef.setInput('draft', 'restored text');
    await fixture.whenStable();

    expect(field.value).toBe('restored text');
    expect(field.placeholder).toBe('Message #general');
  });

  describe('editing', () => {
    const key = (name: string) => {
      const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true });
      field.dispatchEvent(event);
      return event;
    };

    it('asks to edit the last message on Arrow Up in an empty field only', async () => {
      let asked = 0;
      fixture.componentInstance.editLast.subscribe(() => asked++);

      expect(key('ArrowUp').defaultPrevented).toBe(true);
      await type('not empty');
      expect(key('ArrowUp').defaultPrevented).toBe(false);

      expect(asked).toBe(1);
    });

    it('says it is editing, saves with Enter, and cancels with Escape without it reaching the page', async () => {
      let cancelled = 0;
      fixture.componentInstance.cancelEdit.subscribe(() => cancelled++);
      const reachedPage: string[] = [];
      const listener = (event: KeyboardEvent) => reachedPage.push(event.key);
      document.addEventListener('keydown', listener);
      fixture.componentRef.setInput('editing', true);
      fixture.componentRef.setInput('draft', 'old text');
      await fixture.whenStable();

      expect(text(fixture.nativeElement)).toContain('Editing your message');
      await type('new text');
      pressEnter(field);
      const escape = key('Escape');

      expect(sent).toEqual(['new text']);
      expect(cancelled).toBe(1);
      expect(escape.defaultPrevented).toBe(true);
      expect(reachedPage).not.toContain('Escape');
      document.removeEventListener('keydown', listener);
    });
  });
});
