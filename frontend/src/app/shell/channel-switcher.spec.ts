import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { Channel } from '@flack/contract';
import { channel } from '../../testing/fake-socket';
import { polyfillDialog, pressEscapeIn } from '../../testing/dialog';
import { text, typeInto } from '../../testing/dom';
import { StubPage } from '../../testing/stub-page';
import { ChannelsStore } from '../channels/channels-store';
import { Drawer } from '../core/drawer';
import { ChannelSwitcher, MAX_RESULTS, rankChannels } from './channel-switcher';
import { KeyboardShortcuts } from './keyboard-shortcuts';

const general = channel('General');
const random = channel('Random');
const design = channel('Design');
const backend = channel('backend-general');
const ideas = channel('Ideas');

describe('ChannelSwitcher', () => {
  let fixture: ComponentFixture<ChannelSwitcher>;
  let shortcuts: KeyboardShortcuts;
  let opener: HTMLButtonElement;
  const joined = signal<readonly Channel[]>([general, random]);
  const notJoined = signal<readonly Channel[]>([backend, design, ideas]);

  const dialog = () => fixture.nativeElement.querySelector('dialog') as HTMLDialogElement;
  const field = () => fixture.nativeElement.querySelector('input') as HTMLInputElement;
  const options = () => [...fixture.nativeElement.querySelectorAll('[role="option"]')] as HTMLElement[];
  const names = () => options().map((option) => text(option.querySelector('.name')));
  const selected = () => options().find((option) => option.getAttribute('aria-selected') === 'true');
  const press = (key: string) =>
    field().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));

  beforeAll(polyfillDialog);

  beforeEach(async () => {
    joined.set([general, random]);
    notJoined.set([backend, design, ideas]);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'c/:channel', component: StubPage }]),
        { provide: ChannelsStore, useValue: { joined, notJoined, activeId: signal('random') } },
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
    expect(text(document.getElementById('switcher-title'))).toBe('Jump to a channel');
  });

  it('focuses a "Jump to…" field that lists your channels first, then the others', async () => {
    await open();

    expect(document.activeElement).toBe(field());
    expect(text(fixture.nativeElement.querySelector(`label[for="${field().id}"]`))).toBe('Jump to…');
    expect(field().getAttribute('role')).toBe('combobox');
    expect(names()).toEqual(['General', 'Random', 'backend-general', 'Design', 'Ideas']);
    expect(options().map((option) => text(option.querySelector('.tag')))).toEqual([
      '',
      'open',
      'not joined',
      'not joined',
      'not joined',
    ]);
  });

  it('filters as you type, ignoring case', async () => {
    await open();

    await type('GEN');

    expect(names()).toEqual(['General', 'backend-general']);
    expect(selected()).toBe(options()[0]);
  });

  it('says so when nothing matches', async () => {
    await open();

    await type('zzz');

    expect(options()).toHaveLength(0);
    expect(text(fixture.nativeElement)).toContain('No channel matches “zzz”.');
    expect(field().getAttribute('aria-activedescendant')).toBeNull();
  });

  it('moves the choice with the arrow keys, wrapping around', async () => {
    await open();
    expect(field().getAttribute('aria-activedescendant')).toBe(options()[0].id);

    press('ArrowDown');
    press('ArrowDown');
    await fixture.whenStable();
    expect(text(selected()?.querySelector('.name'))).toBe('backend-general');
    expect(field().getAttribute('aria-activedescendant')).toBe(selected()?.id);

    press('ArrowUp');
    press('ArrowUp');
    press('ArrowUp');
    await fixture.whenStable();
    expect(text(selected()?.querySelector('.name'))).toBe('Ideas');
  });

  it('opens the chosen channel on Enter and closes', async () => {
    await open();
    await type('ide');

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

    options()[3].click();
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
    expect(options()).toHaveLength(5);
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

    expect(options()).toHaveLength(MAX_RESULTS);
    expect(text(fixture.nativeElement)).toContain('10 more: keep typing');
  });
});

describe('rankChannels', () => {
  const names = (query: string, joined: Channel[], others: Channel[] = []) =>
    rankChannels(joined, others, query).map((result) => result.channel.name);

  it('puts names that start with the query first, then words, then anywhere', () => {
    const channels = ['my-general', 'general', 'degenerate'].map((name) => channel(name));

    expect(names('gen', channels)).toEqual(['general', 'my-general', 'degenerate']);
  });

  it('keeps joined channels before others for equally good matches', () => {
    expect(names('gen', [backend], [general])).toEqual(['backend-general', 'General']);
  });

  it('matches letters in order last ("gnrl" finds "general")', () => {
    expect(names('gnrl', [random], [general])).toEqual(['General']);
    expect(names('dn', [design], [channel('dn-news')])).toEqual(['dn-news', 'Design']);
  });

  it('compares width and case folded, and ignores surrounding spaces', () => {
    expect(names('  ＤＥＳ ', [design])).toEqual(['Design']);
  });
});
