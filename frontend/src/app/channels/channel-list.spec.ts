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
    fixture.componentRef.setInput('joined', [channel('General')]);
    fixture.componentRef.setInput('others', [channel('Design'), channel('<i>markup</i>')]);
    fixture.componentRef.setInput('activeId', 'general');
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  function linkNames(listName: string): string[] {
    const heading = [...element.querySelectorAll('h2')].find((h) => text(h) === listName);
    const list = element.querySelector(`[aria-labelledby="${heading?.id}"]`);
    return [...(list?.querySelectorAll('a') ?? [])].map(accessibleText);
  }

  it('lists joined channels apart from the others, each link named by its channel', () => {
    expect(linkNames('Your channels')).toEqual(['General']);
    expect(linkNames('More channels')).toEqual(['Design', '<i>markup</i>']);
    expect(element.querySelector('i')).toBeNull();
  });

  it('links each channel to its address and marks the open one', () => {
    const links = [...element.querySelectorAll('a')];

    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '/c/general',
      '/c/design',
      '/c/%3Ci%3Emarkup%3C%2Fi%3E',
    ]);
    expect(links.map((link) => link.getAttribute('aria-current'))).toEqual(['page', null, null]);
  });

  it('tells when a channel was picked, so the drawer can close', () => {
    let picked = 0;
    fixture.componentInstance.picked.subscribe(() => picked++);

    element.querySelector('a')?.click();

    expect(picked).toBe(1);
  });

  it('says what to do when there are no channels at all', async () => {
    fixture.componentRef.setInput('joined', []);
    fixture.componentRef.setInput('others', []);
    await fixture.whenStable();

    expect(text(element)).toContain('No channels yet. Name the first one in the New channel field.');
  });

  it('says it is loading rather than that there are none', async () => {
    fixture.componentRef.setInput('loaded', false);
    await fixture.whenStable();

    expect(text(element)).toBe('Loading channels…');
  });
});
