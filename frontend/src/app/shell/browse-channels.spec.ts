import { signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { Channel } from '@flack/contract';
import { channel } from '../../testing/fake-socket';
import { polyfillDialog, pressEscapeIn } from '../../testing/dialog';
import { text, typeInto } from '../../testing/dom';
import { StubPage } from '../../testing/stub-page';
import { Drawer } from '../core/drawer';
import { byName } from '../core/text';
import { ChannelsStore } from '../channels/channels-store';
import { BrowseChannels, browseMatches } from './browse-channels';

const release2 = channel('release-2', { members: 1 });
const release10 = channel('release-10', { members: 3, topic: 'Ship it' });
const release142 = channel('release-142', { members: 2 });
const design = channel('Design', { members: 4, topic: 'Reviews of the next release' });

describe('browseMatches', () => {
  const all = [release2, release10, release142, design].sort(byName);

  it('lists every channel in name order, numbers by value, for an empty query', () => {
    expect(browseMatches(all, ' ').map((found) => found.name)).toEqual([
      'Design',
      'release-2',
      'release-10',
      'release-142',
    ]);
  });

  it('finds names that contain the query, then topics that do; no letters-in-order matches', () => {
    expect(browseMatches(all, 'release-1').map((found) => found.name)).toEqual(['release-10', 'release-142']);
    expect(browseMatches(all, 'RELEASE').map((found) => found.name)).toEqual([
      'release-2',
      'release-10',
      'release-142',
      'Design',
    ]);
    expect(browseMatches(all, 'rls')).toEqual([]);
  });
});

describe('BrowseChannels', () => {
  let fixture: ComponentFixture<BrowseChannels>;
  let opener: HTMLButtonElement;
  const channels = signal<readonly Channel[]>([]);
  const drawerClose = jest.fn();

  const dialog = () => fixture.nativeElement.querySelector('dialog') as HTMLDialogElement;
  const field = () => fixture.nativeElement.querySelector('input') as HTMLInputElement;
  const rows = () => [...fixture.nativeElement.querySelectorAll('li')].map((row) => text(row as HTMLElement));
  const buttons = () => [...fixture.nativeElement.querySelectorAll('li button')] as HTMLButtonElement[];

  beforeAll(polyfillDialog);

  beforeEach(async () => {
    channels.set([release2, release10, design, channel('Alice, Bob', { id: 'dm:a-b', dm: [] })].sort(byName));
    drawerClose.mockClear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'c/:channel', component: StubPage }]),
        { provide: ChannelsStore, useValue: { channels, joinedIds: signal(new Set(['design'])) } },
        { provide: Drawer, useValue: { close: drawerClose } },
      ],
    });
    fixture = TestBed.createComponent(BrowseChannels);
    opener = document.body.appendChild(document.createElement('button'));
    opener.focus();
    fixture.componentRef.setInput('open', true);
    await fixture.whenStable();
  });

  afterEach(() => opener.remove());

  it('opens with the field focused, listing every channel (not the direct ones) with topic and members', () => {
    expect(dialog().open).toBe(true);
    expect(document.activeElement).toBe(field());
    expect(field().getAttribute('dir')).toBe('auto');
    expect(rows()).toEqual([
      '#DesignReviews of the next release 4 members · joined Open',
      '#release-2 1 member Join',
      '#release-10Ship it 3 members Join',
    ]);
    expect(buttons().map((button) => button.getAttribute('aria-label'))).toEqual([
      'Open Design',
      'Join release-2',
      'Join release-10',
    ]);
    expect(text(fixture.nativeElement.querySelector('.summary'))).toBe('3 channels');
  });

  it('filters as one types, and says when nothing matches', async () => {
    typeInto(field(), 'release-1');
    await fixture.whenStable();
    expect(rows()).toEqual(['#release-10Ship it 3 members Join']);
    expect(text(fixture.nativeElement.querySelector('.summary'))).toBe('1 of 3 channels');

    typeInto(field(), 'nothing like it');
    await fixture.whenStable();
    expect(rows()).toEqual([]);
    expect(text(fixture.nativeElement.querySelector('.summary'))).toBe(
      'No channel matches “nothing like it”',
    );
  });

  it('joins on Join: opens the channel, closes the dialog and the drawer', async () => {
    const closed = jest.fn();
    fixture.componentInstance.closed.subscribe(closed);

    buttons()[1].click();
    await fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/c/release-2');
    expect(dialog().open).toBe(false);
    expect(closed).toHaveBeenCalled();
    expect(drawerClose).toHaveBeenCalled();
  });

  it('moves with the arrows, opens the first match on Enter in the field', async () => {
    field().dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }),
    );
    expect(document.activeElement).toBe(buttons()[0]);
    buttons()[0].dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }),
    );
    expect(document.activeElement).toBe(buttons()[1]);
    buttons()[1].dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, cancelable: true }),
    );
    buttons()[0].dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true, cancelable: true }),
    );
    expect(document.activeElement).toBe(field());

    typeInto(field(), '10');
    await fixture.whenStable();
    field().dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await fixture.whenStable();
    expect(TestBed.inject(Router).url).toBe('/c/release-10');
  });

  it('closes on Escape, gives focus back, and forgets what was typed', async () => {
    typeInto(field(), 'release');
    pressEscapeIn(dialog());
    await fixture.whenStable();

    expect(dialog().open).toBe(false);
    expect(document.activeElement).toBe(opener);
    expect(field().value).toBe('');
  });
});
