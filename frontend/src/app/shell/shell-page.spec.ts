import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  FakeSocket,
  alice,
  channel,
  provideFakeServer,
  settleView,
  snapshot,
} from '../../testing/fake-socket';
import { accessibleText, buttonNamed, fieldLabelled, submitFrom, text, typeInto } from '../../testing/dom';
import { SessionStore } from '../core/session-store';
import { SavedSessions } from '../core/storage';
import { ShellPage } from './shell-page';
import { StubPage } from '../../testing/stub-page';
import { polyfillDialog } from '../../testing/dialog';

describe('ShellPage', () => {
  let fake: FakeSocket;
  let harness: RouterTestingHarness;

  const page = () => harness.routeNativeElement as HTMLElement;
  const url = () => TestBed.inject(Router).url;

  const stable = () => settleView(harness.fixture);

  beforeEach(async () => {
    localStorage.clear();
    fake = new FakeSocket();
    fake.answerOk(
      'session:get',
      snapshot({
        channels: [channel('General'), channel('Design')],
        joined: ['general'],
        readStates: [{ channel: 'general', lastReadSeq: 0, unread: 5, mentions: 3 }],
      }),
    );
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        provideRouter([
          { path: 'login', component: StubPage },
          { path: '', component: ShellPage, children: [{ path: '**', component: StubPage }] },
        ]),
      ],
    });
    await TestBed.inject(SessionStore).signIn('Alice');
    harness = await RouterTestingHarness.create('/');
    await stable();
  });

  it('shows who is signed in, and the channels in a navigation landmark', () => {
    expect(text(page().querySelector('.me-name'))).toBe(alice.name);
    const nav = page().querySelector('nav[aria-label="Channels"]');
    // Only the joined ones; Design waits in Browse channels.
    expect([...(nav?.querySelectorAll('a') ?? [])].map(accessibleText)).toEqual([
      'General, 3 mentions, 5 unread',
    ]);
    expect(buttonNamed(page(), 'Browse channels')).toBeTruthy();
  });

  it('says on the menu button what is unread, mentions apart, for the closed drawer', async () => {
    const menu = buttonNamed(page(), 'Open channel list, 3 mentions, 5 unread');
    expect(accessibleText(menu)).toBe('');
    expect(text(menu)).toBe('@3');

    fake.serverEmit('channel:read', { channel: 'general', lastReadSeq: 9, unread: 0, mentions: 0 });
    await stable();
    expect(menu.getAttribute('aria-label')).toBe('Open channel list');
    expect(text(menu)).toBe('');
  });

  it('folds the Online section and remembers it for next time', async () => {
    const toggle = buttonNamed(page(), 'Online — 0');
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(page().querySelector('ul[aria-label="Online"]')).not.toBeNull();

    toggle.click();
    await stable();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(page().querySelector('ul[aria-label="Online"]')).toBeNull();
    expect(TestBed.inject(SavedSessions).collapsedSections()).toEqual(['online']);
  });

  it('logs out to the name prompt, keeping the token for next time', async () => {
    buttonNamed(page(), 'Log out').click();
    await stable();

    expect(url()).toBe('/login');
    expect(TestBed.inject(SavedSessions).tokenFor('Alice')).toBe('token-for-Alice');
  });

  it('says when the connection is lost, and stops saying it once it is back', async () => {
    fake.drop();
    await stable();
    expect(text(page().querySelector('[role="status"]'))).toBe('Connection lost. Reconnecting…');

    fake.acceptConnection();
    await stable();
    expect(page().querySelector('[role="status"]')).toBeNull();
  });

  it('creates a channel inline and opens it', async () => {
    fake.answerOk('channel:create', { channel: channel('Ideas'), messages: [] });
    const field = fieldLabelled(page(), 'New channel');

    typeInto(field, 'Ideas');
    await stable();
    submitFrom(field);
    await stable();

    expect(url()).toBe('/c/ideas');
    expect(field.value).toBe('');
    expect(text(page().querySelector('ul[aria-labelledby="channels"]'))).toContain('Ideas');
  });

  it("keeps the name and shows the server's message when it is taken", async () => {
    fake.answerError('channel:create', { code: 'CHANNEL_EXISTS', message: 'That name is taken.' });
    const field = fieldLabelled(page(), 'New channel');

    typeInto(field, 'general');
    await stable();
    submitFrom(field);
    await stable();

    expect(text(page().querySelector('[role="alert"]'))).toBe('That name is taken.');
    expect(field.value).toBe('general');
    expect(url()).toBe('/');
  });

  it('opens and closes the channel drawer', async () => {
    const shell = page().querySelector('.shell');
    const menu = buttonNamed(page(), 'Open channel list, 3 mentions, 5 unread');

    menu.click();
    await stable();
    expect(shell?.classList).toContain('drawer-open');
    expect(menu.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(buttonNamed(page(), 'Close channel list'));

    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await stable();
    expect(shell?.classList).not.toContain('drawer-open');
    expect(document.activeElement).toBe(menu);
  });

  it('opens the channel switcher on Ctrl+K and the shortcuts from the sidebar', async () => {
    polyfillDialog();
    const dialogNamed = (name: string) =>
      [...page().querySelectorAll('dialog')].find(
        (dialog) => text(document.getElementById(dialog.getAttribute('aria-labelledby') ?? '')) === name,
      );

    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true }));
    await stable();
    expect(dialogNamed('Jump to a channel or person')?.open).toBe(true);
    expect(document.activeElement).toBe(fieldLabelled(page(), 'Jump to…'));

    buttonNamed(page(), 'Keyboard shortcuts').click();
    await stable();
    expect(dialogNamed('Jump to a channel or person')?.open).toBe(false);
    expect(dialogNamed('Keyboard shortcuts')?.open).toBe(true);
  });

  it('goes to the prompt when the server ends the session', async () => {
    fake.serverEmit('session:ended');
    await stable();

    expect(url()).toBe('/login');
  });
});
