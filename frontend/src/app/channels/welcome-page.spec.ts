import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { SessionSnapshot } from '@flack/contract';
import { FakeSocket, channel, provideFakeServer, settle, snapshot } from '../../testing/fake-socket';
import { text } from '../../testing/dom';
import { StubPage } from '../../testing/stub-page';
import { SessionStore } from '../core/session-store';
import { ChannelsStore } from './channels-store';
import { WelcomePage } from './welcome-page';

describe('WelcomePage', () => {
  let harness: RouterTestingHarness;

  async function start(first: SessionSnapshot) {
    const fake = new FakeSocket();
    fake.answerOk('session:get', first);
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        provideRouter([
          { path: '', component: WelcomePage },
          { path: 'c/:channel', component: StubPage },
        ]),
      ],
    });
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    // As shell/connection-coordinator.ts does with the first snapshot of a sign-in.
    TestBed.inject(ChannelsStore).applySnapshot({ snapshot: first, reconnect: false, restarted: false });
    harness = await RouterTestingHarness.create('/');
    await settle();
    await harness.fixture.whenStable();
  }

  beforeEach(() => localStorage.clear());

  it('returns to the channel the person was on', async () => {
    await start(snapshot({ channels: [channel('General')], joined: ['general'], lastChannel: 'general' }));

    expect(TestBed.inject(Router).url).toBe('/c/general');
  });

  it('tells a newcomer to create the first channel when there is none', async () => {
    await start(snapshot());

    expect(TestBed.inject(Router).url).toBe('/');
    expect(text(harness.routeNativeElement)).toContain('There are no channels yet');
  });

  it('offers channels with what each is about, as links', async () => {
    await start(
      snapshot({
        channels: [channel('General', { topic: 'Say hello <b>here</b>' }), channel('random')],
        joined: ['random'],
      }),
    );

    const links = [...harness.routeNativeElement!.querySelectorAll<HTMLAnchorElement>('.suggested a')];
    expect(links.map(text)).toEqual(['#random', '#General: Say hello <b>here</b>']);
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/c/random', '/c/general']);
    expect(harness.routeNativeElement!.querySelector('.suggested b')).toBeNull();
  });

  it('puts focus on the first channel offered, not on <body> (after signing in or leaving)', async () => {
    await start(snapshot({ channels: [channel('General'), channel('random')], joined: ['random'] }));

    expect(document.activeElement?.textContent?.trim()).toBe('#random');
  });

  it('puts focus on "Pick a channel" when there is no channel to offer', async () => {
    await start(snapshot());

    expect(document.activeElement?.textContent?.trim()).toBe('Pick a channel');
  });

  it('leaves focus where the person already put it', async () => {
    const field = document.body.appendChild(document.createElement('input'));
    field.focus();
    await start(snapshot({ channels: [channel('General')] }));

    expect(document.activeElement).toBe(field);
    field.remove();
  });

  it('tells someone in no channel to pick one', async () => {
    await start(snapshot({ channels: [channel('General')] }));

    expect(text(harness.routeNativeElement)).toContain('Pick a channel from the list');
  });
});
