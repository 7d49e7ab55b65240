import { computed, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { Channel, User } from '@flack/contract';
import { alice, bob, channel } from '../../testing/fake-socket';
import { polyfillDialog, pressEscapeIn } from '../../testing/dialog';
import { text, typeInto } from '../../testing/dom';
import { StubPage } from '../../testing/stub-page';
import { ChannelsStore } from '../channels/channels-store';
import { Drawer } from '../core/drawer';
import { SessionStore } from '../core/session-store';
import { PresenceStore } from '../people/presence-store';
import { SearchStore } from '../search/search-store';
import { ChannelSwitcher, MAX_RESULTS, rankByName, switcherGroups } from './channel-switcher';
import { KeyboardShortcuts } from './keyboard-shortcuts';

const general = channel('General');
const random = channel('Random');
const design = channel('Design');
const backend = channel('backend-general');
const ideas = channel('Ideas');
const carol: User = { id: 'u-carol', name: 'Carol' };
const dave: User = { id: 'u-dave', name: 'Dave' };
/** Alice's conversation with Dave, who is offline. */
const withDave = channel('Alice, Dave', { id: 'dm:alice-dave', dm: [alice, dave] });

describe('ChannelSwitcher', () => {
  let fixture: ComponentFixture<ChannelSwitcher>;
  let shortcuts: KeyboardShortcuts;
  let opener: HTMLButtonElement;
  const joined = signal<readonly Channel[]>([general, random]);
  const notJoined = signal<readonly Channel[]>([backend, design, ideas]);
  const online = signal<readonly User[]>([]);
  const openDm = jest.fn((userId: string) =>
    Promise.resolve(channel(`dm-${userId}`, { id: `dm:${userId}` })),
  );
  const searchNow = jest.fn();

  const dialog = () => fixture.nativeElement.querySelector('dialog') as HTMLDialogElement;
  const field = () => fixture.nativeElement.querySelector('input') as HTMLInputElement;
  const options = () => [...fixture.nativeElement.querySelectorAll('[role="option"]')] as HTMLElement[];
  const names = () => options().map((option) => text(option.querySelector('.name')));
  /** Each group's heading and the names in it, as they read. */
  const groups = () =>
    [...fixture.nativeElement.querySelectorAll('[role="group"]')].map((group: HTMLElement) => [
      text(document.getElementById(group.getAttribute('aria-labelledby') ?? '')),
      ...[...group.querySelectorAll('[role="option"] .name')].map((name) => text(name)),
    ]);
  const selected = () => options().find((option) => option.getAttribute('aria-selected') === 'true');
  const press = (key: string) =>
    field().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));

  beforeAll(polyfillDialog);

  beforeEach(async () => {
    joined.set([general, random]);
    notJoined.set([backend, design, ideas]);
    online.set([]);
    openDm.mockClear();
    searchNow.mockClear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'c/:channel', component: StubPage }]),
        {
          provide: ChannelsStore,
          useValue: {
            joined,
            notJoined,
            directMessages: signal([withDave]),
            activeId: signal('random'),
            openDm,
          },
        },
        {
          provide: PresenceStore,
          useValue: { online, onlineIds: computed(() => new Set(online().map((user) => user.id))) },
        },
        { provide: SessionStore, useValue: { user: signal(alice) } },
        { provide: SearchStore, useValue: { searchNow } },
      ],
    });
    shortcuts = TestBed.inject(KeyboardShortcuts);
    fixture = TestBed.createComponent(ChannelSwitcher);
    opener = document.body.appendChild(document.createElement('button'));
    opener.focus();
    await fixture.whenStable();
  });

  afterEach(() => opener.remove());

  async function open() {
    shortcuts.open('switcher');
    await fixture.whenStable();
  }

  async function type(query: string) {
    typeInto(field(), query);
    await fixture.whenStable();
  }

  it('is closed until the shortcut opens it', async () => {
    expect(dialog().open).toBe(false);

    await open();

    expect(dialog().open).toBe(true);
    expect(dialog().getAttribute('aria-labelledby')).toBe('switcher-title');
    expect(text(document.getElementById('switcher-title'))).toBe('Jump to a channel or person');
  });

  it('focuses a "Jump to…" field that lists your channels, people, then the channels to join', async () => {
    online.set([bob, alice]);
    await open();

    expect(document.activeElement).toBe(field());
    expect(text(fixture.nativeElement.querySelector(`label[for="${field().id}"]`))).toBe('Jump to…');
    expect(field().getAttribute('role')).toBe('combobox');
    // People: those online and those one has a conversation with, never oneself.
    expect(groups()).toEqual([
      ['Channels', 'General', 'Random'],
      ['People', 'Bob', 'Dave'],
      ['Channels you have not joined', 'backend-general', 'Design', 'Ideas'],
    ]);
    expect(options().map((option) => text(option.querySelector('.tag')))).toEqual([
      '',
      'open',
      'online',
      '',
      'not joined',
      'not joined',
      'not joined',
    ]);
  });

  it('filters as you type, ignoring case', async () => {
    await open();

    await type('GEN');

    expect(names()).toEqual(['General', 'backend-general', 'Search messages for “GEN”']);
    expect(selected()).toBe(options()[0]);
  });

  it('says so when nothing matches', async () => {
    await open();

    await type('?!');

    expect(options()).toHaveLength(0);
    expect(text(fixture.nativeElement)).toContain('Nothing matches “?!”.');
    expect(field().getAttribute('aria-activedescendant')).toBeNull();
  });

  it('moves the choice with the arrow keys, wrapping around', async () => {
    await open();
    expect(field().getAttribute('aria-activedescendant')).toBe(options()[0].id);

    press('ArrowDown');
    press('ArrowDown');
    press('ArrowDown');
    await fixture.whenStable();
    expect(text(selected()?.querySelector('.name'))).toBe('backend-general');
    expect(field().getAttribute('aria-activedescendant')).toBe(selected()?.id);

    press('ArrowUp');
    press('ArrowUp');
    press('ArrowUp');
    press('ArrowUp');
    await fixture.whenStable();
    expect(text(selected()?.querySelector('.name'))).toBe('Ideas');
  });

  it('opens the chosen channel on Enter and closes', async () => {
    await open();
    await type('ide');

    expect(names()[0]).toBe('Ideas');
    press('Enter');
    await fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/c/ideas');
    expect(dialog().open).toBe(false);
    expect(shortcuts.switcherOpen()).toBe(false);
  });

  it('opens a channel on click, and closes the drawer it may have come from', async () => {
    const drawer = TestBed.inject(Drawer);
    drawer.open();
    await open();

    options()[4].click();
    await fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/c/design');
    expect(drawer.isOpen()).toBe(false);
  });

  it('closes on Escape, gives focus back, and starts afresh next time', async () => {
    await open();
    await type('gen');

    pressEscapeIn(dialog());
    await fixture.whenStable();

    expect(dialog().open).toBe(false);
    expect(shortcuts.switcherOpen()).toBe(false);
    expect(document.activeElement).toBe(opener);

    await open();
    expect(field().value).toBe('');
    expect(options()).toHaveLength(6);
  });

  it('closes when the shortcut closes it', async () => {
    await open();

    shortcuts.close('switcher');
    await fixture.whenStable();

    expect(dialog().open).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it(`shows at most ${MAX_RESULTS} channels and says how many more there are`, async () => {
    notJoined.set(Array.from({ length: 60 }, (_, n) => channel(`room-${String(n).padStart(2, '0')}`)));
    await open();

    await type('room');

    expect(options()).toHaveLength(MAX_RESULTS + 1);
    expect(text(fixture.nativeElement)).toContain('10 more: keep typing');
  });

  it('opens the conversation with the person chosen', async () => {
    online.set([bob]);
    await open();
    await type('bo');

    press('Enter');
    await fixture.whenStable();
    await fixture.whenStable();

    expect(openDm).toHaveBeenCalledWith(bob.id);
    expect(TestBed.inject(Router).url).toBe('/c/dm:u-bob');
    expect(dialog().open).toBe(false);
  });

  it('offers to search the messages last, and hands the words to the search', async () => {
    await open();
    await type('budget report');

    expect(names().at(-1)).toBe('Search messages for “budget report”');
    press('ArrowUp');
    press('Enter');
    await fixture.whenStable();

    expect(searchNow).toHaveBeenCalledWith('budget report');
    expect(dialog().open).toBe(false);
    expect(shortcuts.switcherOpen()).toBe(false);
  });
});

describe('rankByName', () => {
  const names = (query: string, items: Channel[]) =>
    rankByName(items, (item) => item.name, query).map((item) => item.name);

  it('puts names that start with the query first, then words, then anywhere', () => {
    const channels = ['my-general', 'general', 'degenerate'].map((name) => channel(name));

    expect(names('gen', channels)).toEqual(['general', 'my-general', 'degenerate']);
  });

  it('keeps the given order for equally good matches', () => {
    expect(names('gen', [backend, general])).toEqual(['General', 'backend-general']);
    expect(names('', [random, general])).toEqual(['Random', 'General']);
  });

  it('matches letters in order last ("gnrl" finds "general")', () => {
    expect(names('gnrl', [random, general])).toEqual(['General']);
    expect(names('dn', [design, channel('dn-news')])).toEqual(['dn-news', 'Design']);
  });

  it('compares width and case folded, and ignores surrounding spaces', () => {
    expect(names('  ＤＥＳ ', [design])).toEqual(['Design']);
  });
});

describe('switcherGroups', () => {
  const base = { joined: [general], notJoined: [backend], people: [carol], online: new Set<string>() };
  const labels = (query: string) =>
    switcherGroups({ ...base, query }).groups.map((group) => [group.label, group.options.length]);

  it('groups what matches and leaves out empty groups', () => {
    expect(labels('gen')).toEqual([
      ['Channels', 1],
      ['Channels you have not joined', 1],
      ['Messages', 1],
    ]);
    expect(labels('car')).toEqual([
      ['People', 1],
      ['Messages', 1],
    ]);
  });

  it('offers a message search only for words the search accepts', () => {
    expect(labels('')).toEqual([
      ['Channels', 1],
      ['People', 1],
      ['Channels you have not joined', 1],
    ]);
    expect(labels('#')).toEqual([]);
    expect(switcherGroups({ ...base, query: '  gen  ' }).groups.at(-1)?.options).toEqual([
      { kind: 'search', query: 'gen' },
    ]);
  });

  it(`shows at most ${MAX_RESULTS} channels and people together, and counts the rest`, () => {
    const many = Array.from({ length: 40 }, (_, n) => channel(`c${n}`));
    const { groups, more } = switcherGroups({
      ...base,
      joined: many,
      notJoined: many.map((c) => channel(`x${c.name}`)),
      query: 'c',
    });
    // 40 joined, Carol, then 9 of the 40 to join; the search last, always.
    expect(groups.map((group) => group.options.length)).toEqual([40, 1, 9, 1]);
    expect(more).toBe(31);
  });
});
