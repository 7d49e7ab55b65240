import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { channel } from '../../testing/fake-socket';
import { accessibleText, text } from '../../testing/dom';
import { ChannelList } from './channel-list';
import { StubPage } from '../../testing/stub-page';

describe('ChannelList', () => {
  let fixture: ComponentFixture<ChannelList>;
  let element: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([{ path: '**', component: StubPage }])] });
    fixture = TestBed.createComponent(ChannelList);
    fixture.componentRef.setInput('joined', [channel('General'), channel('<i>markup</i>')]);
    fixture.componentRef.setInput('channelCount', 3);
    fixture.componentRef.setInput('activeId', 'general');
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  function button(name: string): HTMLButtonElement | undefined {
    return [...element.querySelectorAll('button')].find((candidate) => text(candidate) === name);
  }

  function linkNames(listName: string): string[] {
    const heading = [...element.querySelectorAll('h2')].find((h) => text(h) === listName);
    const list = element.querySelector(`[aria-labelledby="${heading?.id}"]`);
    return [...(list?.querySelectorAll('a') ?? [])].map(accessibleText);
  }

  it('lists the joined channels, each link named by its channel, and offers the rest to browse', () => {
    let browsed = 0;
    fixture.componentInstance.browse.subscribe(() => browsed++);

    expect(linkNames('Channels')).toEqual(['General', '<i>markup</i>']);
    expect(element.querySelector('i')).toBeNull();
    button('Browse channels')?.click();
    expect(browsed).toBe(1);
  });

  it('folds a section from its heading, saying whether it is open', async () => {
    const toggled: string[] = [];
    fixture.componentInstance.toggled.subscribe((id) => toggled.push(id));

    expect(button('Channels')?.getAttribute('aria-expanded')).toBe('true');
    button('Channels')?.click();
    expect(toggled).toEqual(['channels']);

    fixture.componentRef.setInput('collapsed', new Set(['channels']));
    await fixture.whenStable();
    expect(button('Channels')?.getAttribute('aria-expanded')).toBe('false');
    expect(linkNames('Channels')).toEqual([]);
    expect(button('Direct messages')?.getAttribute('aria-expanded')).toBe('true');
  });

  it('shows on a folded heading what its channels have unread', async () => {
    fixture.componentRef.setInput(
      'unread',
      new Map([
        ['general', { unread: 2, mentions: 1 }],
        ['<i>markup</i>', { unread: 3, mentions: 0 }],
      ]),
    );
    fixture.componentRef.setInput('collapsed', new Set(['channels']));
    await fixture.whenStable();

    const heading = element.querySelector('h2');
    expect(accessibleText(heading)).toBe('Channels, 1 mention, 5 unread');
    expect(text(heading?.querySelector('.mentions'))).toBe('@1');
  });

  it('reads channel names in their own direction', () => {
    const names = [...element.querySelectorAll('a .name')];
    expect(names.map((name) => name.getAttribute('dir'))).toEqual(['auto', 'auto']);
  });

  it('links each channel to its address and marks the open one', () => {
    const links = [...element.querySelectorAll('a')];

    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '/c/general',
      '/c/%3Ci%3Emarkup%3C%2Fi%3E',
    ]);
    expect(links.map((link) => link.getAttribute('aria-current'))).toEqual(['page', null]);
  });

  it('tells when a channel was picked, so the drawer can close', () => {
    let picked = 0;
    fixture.componentInstance.picked.subscribe(() => picked++);

    element.querySelector('a')?.click();

    expect(picked).toBe(1);
  });

  it('says what to do when there are no channels at all', async () => {
    fixture.componentRef.setInput('joined', []);
    fixture.componentRef.setInput('channelCount', 0);
    await fixture.whenStable();

    expect(text(element)).toContain('No channels yet. Name the first one in the New channel field.');
  });

  it('says it is loading rather than that there are none', async () => {
    fixture.componentRef.setInput('loaded', false);
    await fixture.whenStable();

    expect(text(element)).toBe('Loading channels…');
  });
});
