import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { Message } from '@flack/contract';
import { buttonNamed, fieldLabelled, pressEnter, text, typeInto } from '../../testing/dom';
import {
  ComposerSuggestions,
  type ChannelOption,
  type PersonOption,
} from './autocomplete/suggestion-sources';
import { Composer } from './composer';
import type { CompactEmojiData, ShortcodeData } from './emoji/emoji-catalog';

// The real emoji data (see emoji-catalog.spec.ts for why it is not imported from emoji-data.ts).
jest.mock('./emoji/emoji-data', () => ({
  catalog: jest
    .requireActual<typeof import('./emoji/emoji-catalog')>('./emoji/emoji-catalog')
    .buildCatalog(
      jest.requireActual<CompactEmojiData[]>('emojibase-data/en/compact.json'),
      jest.requireActual<ShortcodeData>('emojibase-data/en/shortcodes/github.json'),
    ),
}));

const people = signal<readonly PersonOption[]>([
  { id: 'u-zoe', name: 'Zoë Ark', member: true, online: false },
  { id: 'u-bob', name: 'Bob', member: true, online: true },
  { id: 'u-zed', name: 'Zed', member: false, online: true },
]);
const channels = signal<readonly ChannelOption[]>([
  { id: 'general', name: 'general' },
  { id: 'gardening', name: 'Gardening' },
]);

describe('Composer', () => {
  let fixture: ComponentFixture<Composer>;
  let sent: string[];
  let field: HTMLTextAreaElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [{ provide: ComposerSuggestions, useValue: { people, channels } }],
    });
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

  describe('sends exactly once', () => {
    it('empties the field in the same step, so a second Enter before the view updates sends nothing', () => {
      typeInto(field, 'only once');
      pressEnter(field);
      pressEnter(field);

      expect(sent).toEqual(['only once']);
      expect(field.value).toBe('');
    });

    it('sends what the field holds, also when its input event has not been handled yet', async () => {
      await type('old');
      field.value = 'what is in the field';

      pressEnter(field);

      expect(sent).toEqual(['what is in the field']);
      expect(field.value).toBe('');
    });

    it('empties the field when a later render would not (the draft was empty when last drawn)', async () => {
      typeInto(field, 'typed and sent between two renders');
      pressEnter(field);
      await fixture.whenStable();

      expect(field.value).toBe('');
      pressEnter(field);
      expect(sent).toEqual(['typed and sent between two renders']);
    });

    it('sends nothing on Enter while an input method composes, whichever way it says so', async () => {
      await type('にほん');

      const composing = pressEnter(field, { isComposing: true });
      const process = pressEnter(field, { keyCode: 229 });

      expect(sent).toEqual([]);
      expect(composing.defaultPrevented).toBe(false);
      expect(process.defaultPrevented).toBe(false);
      expect(field.value).toBe('にほん');
    });

    it('puts back a message the page could not send', async () => {
      typeInto(field, 'wait for the file');
      pressEnter(field);
      fixture.componentInstance.restore('wait for the file');
      await fixture.whenStable();

      expect(field.value).toBe('wait for the file');
      pressEnter(field);
      expect(sent).toEqual(['wait for the file', 'wait for the file']);
    });
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
    const key = (name: string, init: KeyboardEventInit = {}) => {
      const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init });
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

    it('leaves keys with a modifier alone: Alt+Shift+↑ is the previous unread channel, Ctrl+Enter nothing', async () => {
      let asked = 0;
      fixture.componentInstance.editLast.subscribe(() => asked++);

      expect(key('ArrowUp', { altKey: true, shiftKey: true }).defaultPrevented).toBe(false);
      expect(key('ArrowUp', { shiftKey: true }).defaultPrevented).toBe(false);
      await type('hello');
      expect(pressEnter(field, { ctrlKey: true }).defaultPrevented).toBe(false);

      expect(asked).toBe(0);
      expect(sent).toEqual([]);
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
  describe('autocomplete (an ARIA combobox)', () => {
    const key = (name: string, init: KeyboardEventInit = {}) => {
      const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init });
      field.dispatchEvent(event);
      return event;
    };
    const options = () => [...fixture.nativeElement.querySelectorAll('[role="option"]')] as HTMLElement[];

    /** Types at the end with the field focused, as a person would. */
    async function typeFocused(value: string) {
      field.focus();
      field.value = value;
      field.setSelectionRange(value.length, value.length);
      field.dispatchEvent(new InputEvent('input', { data: value.slice(-1) }));
      await fixture.whenStable();
    }

    it('offers members first, then others online, accent- and case-insensitively', async () => {
      await typeFocused('hi @z');

      // A textarea stays a textbox (ARIA allows it no combobox role); the list is its control.
      expect(field.getAttribute('role')).toBeNull();
      const list = fixture.nativeElement.querySelector('[role="listbox"]') as HTMLElement;
      expect(field.getAttribute('aria-controls')).toBe(list.id);
      expect(options().map((option) => text(option))).toEqual([
        '@Zoë Ark, member',
        '@Zed, online, not a member',
      ]);
      expect(field.getAttribute('aria-activedescendant')).toBe(options()[0]?.id);
      expect(options()[0]?.getAttribute('aria-selected')).toBe('true');
    });

    it('moves with Up and Down (wrapping), and Enter picks instead of sending', async () => {
      await typeFocused('hi @z');

      expect(key('ArrowDown').defaultPrevented).toBe(true);
      await fixture.whenStable();
      expect(field.getAttribute('aria-activedescendant')).toBe(options()[1]?.id);
      key('ArrowDown');
      await fixture.whenStable();
      expect(field.getAttribute('aria-activedescendant')).toBe(options()[0]?.id);
      key('ArrowUp');
      await fixture.whenStable();
      expect(options()[1]?.getAttribute('aria-selected')).toBe('true');

      expect(pressEnter(field).defaultPrevented).toBe(true);
      await fixture.whenStable();

      expect(sent).toEqual([]);
      expect(field.value).toBe('hi @Zed ');
      expect(field.selectionStart).toBe('hi @Zed '.length);
      expect(fixture.componentInstance.draft()).toBe('hi @Zed ');
      expect(field.getAttribute('aria-controls')).toBeNull();
      // Enter now sends.
      pressEnter(field);
      expect(sent).toEqual(['hi @Zed']);
    });

    it('keeps the highlighted option when the list is rebuilt for the same word (someone comes online)', async () => {
      await typeFocused('hi @z');
      key('ArrowDown');
      await fixture.whenStable();
      expect(options()[1]?.getAttribute('aria-selected')).toBe('true');

      // Someone else starting with Z comes online: the list is rebuilt, Zed still highlighted.
      const before = people();
      people.set([...before, { id: 'u-zia', name: 'Zia', member: false, online: true }]);
      try {
        await fixture.whenStable();
        expect(options()).toHaveLength(3);
        const highlighted = options().find((option) => option.getAttribute('aria-selected') === 'true');
        expect(text(highlighted)).toContain('@Zed');
        key('ArrowUp');
        await fixture.whenStable();
        pressEnter(field);
        await fixture.whenStable();
        expect(field.value).toBe('hi @Zoë Ark ');
      } finally {
        people.set(before);
      }
    });

    it('highlights the first option again when the word changes', async () => {
      await typeFocused('hi @z');
      key('ArrowDown');
      await fixture.whenStable();
      await typeFocused('hi @ze');
      expect(options().map((option) => text(option))).toEqual(['@Zed, online, not a member']);
      expect(options()[0]?.getAttribute('aria-selected')).toBe('true');
    });

    it('inserts a name with a space in full, and Tab picks too', async () => {
      await typeFocused('@zo');

      expect(key('Tab').defaultPrevented).toBe(true);
      await fixture.whenStable();

      expect(field.value).toBe('@Zoë Ark ');
    });

    it('closes on Escape without the page hearing it, and stays closed for that word', async () => {
      const reachedPage: string[] = [];
      const listener = (event: KeyboardEvent) => reachedPage.push(event.key);
      document.addEventListener('keydown', listener);
      await typeFocused('#g');
      expect(options()).toHaveLength(2);

      expect(key('Escape').defaultPrevented).toBe(true);
      await fixture.whenStable();
      expect(options()).toHaveLength(0);
      expect(reachedPage).not.toContain('Escape');
      await typeFocused('#ga');
      expect(options()).toHaveLength(0);
      await typeFocused('#ga #ge');
      expect(options().map((option) => text(option))).toEqual(['#general']);
      document.removeEventListener('keydown', listener);
    });

    it('offers nothing for a name typed in full that nothing else starts with, so Enter sends', async () => {
      await typeFocused('thanks @bob');
      expect(options()).toHaveLength(0);

      pressEnter(field);
      expect(sent).toEqual(['thanks @bob']);
    });

    it('picks with the mouse, keeping focus in the field', async () => {
      await typeFocused('see #gar');
      const option = options()[0]!;
      const mousedown = new MouseEvent('mousedown', { bubbles: true, cancelable: true });
      option.dispatchEvent(mousedown);
      option.click();
      await fixture.whenStable();

      expect(mousedown.defaultPrevented).toBe(true);
      expect(field.value).toBe('see #Gardening ');
    });

    it('offers emoji from two letters after ":" once the data is there', async () => {
      await typeFocused(':t');
      expect(options()).toHaveLength(0);

      await typeFocused(':tad');
      await fixture.whenStable();
      await new Promise((resolve) => setTimeout(resolve));
      await fixture.whenStable();

      expect(text(options()[0])).toContain(':tada:');
      pressEnter(field);
      await fixture.whenStable();
      expect(field.value).toBe('🎉');
      expect(sent).toEqual([]);
    });

    it('turns a full :shortcode: into its emoji as the closing colon is typed', async () => {
      await typeFocused(':ta');
      await new Promise((resolve) => setTimeout(resolve));
      await typeFocused('so :tada:');

      expect(field.value).toBe('so 🎉');
      expect(fixture.componentInstance.draft()).toBe('so 🎉');
    });
  });

  describe('+:emoji:', () => {
    let reactions: string[];

    beforeEach(() => {
      reactions = [];
      fixture.componentInstance.react.subscribe((emoji) => reactions.push(emoji));
    });

    it('reacts rather than sends a whole message of +emoji or +:shortcode:', async () => {
      await type('+👍');
      pressEnter(field);
      await type('+:tada:');
      pressEnter(field);
      await new Promise((resolve) => setTimeout(resolve));

      expect(reactions).toEqual(['👍', '🎉']);
      expect(sent).toEqual([]);
    });

    it('sends anything else as text, and an edit as text', async () => {
      await type('+1');
      pressEnter(field);
      await type('+:no-such-emoji:');
      pressEnter(field);
      await new Promise((resolve) => setTimeout(resolve));
      fixture.componentRef.setInput('editing', true);
      await type('+👍');
      pressEnter(field);
      await new Promise((resolve) => setTimeout(resolve));

      expect(reactions).toEqual([]);
      expect(sent).toEqual(['+1', '+:no-such-emoji:', '+👍']);
    });
  });

  describe('replying', () => {
    const original = {
      id: 'm1',
      author: { id: 'u-ann', name: 'Ann' },
      text: '\n  first line of it  \nsecond line',
    } as Message;

    it('says whom it answers, with the first line, and cancels with the button or Escape', async () => {
      let cancelled = 0;
      fixture.componentInstance.cancelReply.subscribe(() => cancelled++);
      fixture.componentRef.setInput('replyingTo', original);
      await fixture.whenStable();

      expect(text(fixture.nativeElement.querySelector('.reply-text'))).toBe(
        'Replying to Ann: first line of it',
      );
      buttonNamed(fixture.nativeElement, 'Cancel reply').click();
      const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
      field.dispatchEvent(escape);

      expect(cancelled).toBe(2);
      expect(escape.defaultPrevented).toBe(true);
    });
  });

  it('shows the formatting hint, behind a toggle on phones', async () => {
    const toggle = buttonNamed(fixture.nativeElement, 'Formatting help');
    expect(text(fixture.nativeElement.querySelector('#composer-formats'))).toContain('**bold**');
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    toggle.click();
    await fixture.whenStable();

    expect(toggle.getAttribute('aria-expanded')).toBe('true');
  });
});
