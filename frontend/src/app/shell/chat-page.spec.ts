import { TestBed } from '@angular/core/testing';
import { By } from '@angular/platform-browser';
import { Router, provideRouter, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import {
  FakeSocket,
  alice,
  bob,
  channel,
  message,
  provideFakeServer,
  settle,
  settleView,
  snapshot,
} from '../../testing/fake-socket';
import { polyfillDialog, pressEscapeIn } from '../../testing/dialog';
import { accessibleText, buttonNamed, fieldLabelled, pressEnter, text, typeInto } from '../../testing/dom';
import { StubPage } from '../../testing/stub-page';
import { EmojiPicker } from '../chat/emoji/emoji-picker';
import { RequestError } from '../core/app-error';
import { SessionStore } from '../core/session-store';
import { UPLOAD_TRANSPORT } from '../files/upload-transport';
import { UploadsStore } from '../files/uploads-store';
import { ChatPage } from './chat-page';
import { ConnectionCoordinator } from './connection-coordinator';

describe('ChatPage', () => {
  const general = channel('General');
  let fake: FakeSocket;
  let harness: RouterTestingHarness;

  const page = () => harness.routeNativeElement as HTMLElement;
  const articles = () => [...page().querySelectorAll('[role="log"] article')].map(text);
  const composer = () => fieldLabelled<HTMLTextAreaElement>(page(), 'Message');

  const stable = () => settleView(harness.fixture);

  async function typeMessage(value: string) {
    typeInto(composer(), value);
    await stable();
  }

  async function open(url: string) {
    harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(url);
    await stable();
  }

  beforeEach(async () => {
    localStorage.clear();
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot({ user: alice, channels: [general], joined: ['general'] }));
    fake.answerOk('channel:join', {
      channel: general,
      messages: [message('general', 1, 'Morning all!', bob)],
    });
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        // Every upload is refused, as a file over the server's limit is.
        {
          provide: UPLOAD_TRANSPORT,
          useValue: () => ({
            done: Promise.reject(
              new RequestError({ code: 'TOO_LARGE', message: 'A file can be at most 1 MB.' }),
            ),
            abort: () => undefined,
          }),
        },
        provideRouter(
          [
            { path: '', component: StubPage },
            { path: 'c/:channel', component: ChatPage },
          ],
          withComponentInputBinding(),
        ),
      ],
    });
    // The signed-in frame around this page starts it; it hands the snapshot to the stores.
    TestBed.inject(ConnectionCoordinator);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  });

  it('joins the channel in the address and shows its name and history', async () => {
    await open('/c/general');

    expect(fake.sentEvents('channel:join')).toEqual([{ channel: 'general' }]);
    expect(accessibleText(page().querySelector('h1'))).toBe('General');
    expect(articles()).toEqual([expect.stringContaining('Morning all!')]);
  });

  it('moves to the canonical address when opened by name, without joining twice', async () => {
    await open('/c/General');

    expect(TestBed.inject(Router).url).toBe('/c/general');
    expect(fake.sentEvents('channel:join')).toEqual([{ channel: 'General' }]);
  });

  it('waits for the connection before opening', async () => {
    fake.drop();
    await open('/c/general');
    const joinsWhileOffline = fake.sentEvents('channel:join').length;

    fake.acceptConnection();
    await stable();
    // The join's answer opens the channel; its rows are drawn in the task after.
    await stable();

    expect(joinsWhileOffline).toBe(0);
    expect(fake.sentEvents('channel:join')).toHaveLength(1);
    expect(articles()).toHaveLength(1);
  });

  it('sends on Enter, clears the field and shows the message once', async () => {
    await open('/c/general');
    const stored = message('general', 2, 'Hello!', alice);
    fake.answer('message:send', () => {
      fake.serverEmit('message:new', stored);
      return { ok: true, data: { id: stored.id, seq: stored.seq, createdAt: stored.createdAt } };
    });

    await typeMessage('Hello!');
    pressEnter(composer());
    await stable();

    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ channel: 'general', text: 'Hello!' }),
    ]);
    expect(composer().value).toBe('');
    expect(articles()).toEqual([expect.stringContaining('Morning all!'), expect.stringContaining('Hello!')]);
  });

  it('keeps what was typed when a file in the tray failed, and says why instead of sending', async () => {
    await open('/c/general');
    TestBed.inject(UploadsStore).add('general', [new File([new Uint8Array(3)], 'big.png')]);
    await stable();

    await typeMessage('Here is the photo');
    pressEnter(composer());
    await stable();

    expect(fake.sentEvents('message:send')).toEqual([]);
    expect(composer().value).toBe('Here is the photo');
    expect(text(page())).toContain('A file did not upload');
  });

  it('keeps a refused message on screen with the reason and a Retry, and frees the composer', async () => {
    await open('/c/general');
    fake.answerError('message:send', { code: 'NOT_A_MEMBER', message: 'Join the channel first.' });

    await typeMessage('Lost?');
    pressEnter(composer());
    await stable();

    expect(composer().value).toBe('');
    expect(articles().at(-1)).toContain('Not sent. Join the channel first.');
    const stored = message('general', 2, 'Lost?', alice);
    fake.answerOk('message:send', { id: stored.id, seq: stored.seq, createdAt: stored.createdAt });
    buttonNamed(page(), 'Retry').click();
    await stable();

    expect(articles().at(-1)).not.toContain('Not sent');
    const ids = (fake.sentEvents('message:send') as { clientId: string }[]).map((sent) => sent.clientId);
    expect(new Set(ids).size).toBe(1);
  });

  it('answers a message: Reply, then Enter sends the reply with what it answers, quoted', async () => {
    const morning = message('general', 1, 'Morning all!', bob);
    fake.answerOk('channel:join', { channel: general, messages: [morning] });
    await open('/c/general');
    fake.answer('message:send', () => new Promise(() => undefined) as never);

    buttonNamed(page(), 'Reply').click();
    await stable();
    expect(document.activeElement).toBe(composer());
    await typeMessage('Morning Bob');
    pressEnter(composer());
    await stable();

    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ text: 'Morning Bob', replyTo: morning.id }),
    ]);
    const reply = page().querySelectorAll('[role="log"] article')[1];
    expect(reply.querySelector('.quote')?.getAttribute('aria-label')).toBe('In reply to Bob: Morning all!');

    // The next message is a plain one again.
    await typeMessage('And another thing');
    pressEnter(composer());
    await stable();
    expect(fake.sentEvents('message:send')).toHaveLength(1);
    expect(text(page().querySelectorAll('[role="log"] article')[2].querySelector('.quote'))).toBe('');
  });

  it('says so when the message being answered is deleted meanwhile, and sends a plain message', async () => {
    const morning = message('general', 1, 'Morning all!', bob);
    fake.answerOk('channel:join', { channel: general, messages: [morning] });
    await open('/c/general');
    fake.answer('message:send', () => new Promise(() => undefined) as never);
    buttonNamed(page(), 'Reply').click();
    await stable();
    expect(text(page())).toContain('Replying to Bob');

    fake.serverEmit('message:updated', {
      ...morning,
      text: '',
      deletedAt: '2025-01-01T10:00:00.000Z',
      revision: 1,
    });
    await stable();

    expect(text(page())).not.toContain('Replying to Bob');
    expect(text(page().querySelector('[role="alert"]'))).toContain(
      'The message you were replying to is gone',
    );
    await typeMessage('Morning anyway');
    pressEnter(composer());
    await stable();
    expect(fake.sentEvents('message:send')).toEqual([
      expect.not.objectContaining({ replyTo: expect.anything() }),
    ]);
  });

  it('reacts to a message, showing the reaction the server answers with', async () => {
    const morning = message('general', 1, 'Morning all!', bob);
    fake.answerOk('channel:join', { channel: general, messages: [morning] });
    await open('/c/general');
    fake.answerOk('message:react', { ...morning, revision: 1, reactions: [{ emoji: '👍', users: [alice] }] });

    buttonNamed(page(), 'Add reaction').click();
    await stable();
    harness.fixture.debugElement.query(By.directive(EmojiPicker)).componentInstance.picked.emit('👍');
    await stable();

    expect(fake.sentEvents('message:react')).toEqual([{ channel: 'general', id: morning.id, emoji: '👍' }]);
    expect(buttonNamed(page(), '👍 1: you').getAttribute('aria-pressed')).toBe('true');
  });

  it('reacts to the newest message with a whole message of `+` and an emoji, and says when there is none', async () => {
    const newest = message('general', 2, 'Lunch?', bob);
    fake.answerOk('channel:join', { channel: general, messages: [message('general', 1, 'Hi', bob), newest] });
    await open('/c/general');
    fake.answerOk('message:react', { ...newest, revision: 1, reactions: [{ emoji: '👍', users: [alice] }] });

    await typeMessage('+👍');
    pressEnter(composer());
    await stable();

    expect(fake.sentEvents('message:react')).toEqual([{ channel: 'general', id: newest.id, emoji: '👍' }]);
    expect(fake.sentEvents('message:send')).toEqual([]);
    expect(composer().value).toBe('');

    fake.answerOk('channel:join', { channel: channel('Empty'), messages: [] });
    await harness.navigateByUrl('/c/empty');
    await stable();
    await typeMessage('+👍');
    pressEnter(composer());
    await stable();

    expect(fake.sentEvents('message:react')).toHaveLength(1);
    expect(text(page().querySelector('[role="alert"]'))).toBe('There is no message to react to yet.');
  });

  it('opens at the message in ?message=, highlighted and focused', async () => {
    const history = [1, 2, 3].map((seq) => message('general', seq, `message ${seq}`, bob));
    fake.answerOk('channel:join', { channel: general, messages: history });

    await open(`/c/general?message=${history[0].id}`);

    const [first, second] = page().querySelectorAll('[role="log"] article');
    expect(first.classList).toContain('highlighted');
    expect(document.activeElement).toBe(first);
    expect(second.classList).not.toContain('highlighted');
  });

  it('says so when the message in ?message= is no longer in the history', async () => {
    await open('/c/general?message=m-long-gone');

    expect(text(page().querySelector('[role="alert"]'))).toBe(
      'That message is no longer in the history of this channel.',
    );
  });

  it('asks before leaving; Leave in the dialog leaves the channel and goes back to the start', async () => {
    polyfillDialog();
    await open('/c/general');
    fake.answerOk('channel:leave', null);

    buttonNamed(page(), 'Leave channel').click();
    await stable();
    const dialog = page().querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(accessibleText(dialog.querySelector('h2'))).toBe('Leave General?');
    expect(document.activeElement).toBe(buttonNamed(dialog, 'Cancel'));
    expect(fake.sentEvents('channel:leave')).toEqual([]);

    buttonNamed(dialog, 'Leave').click();
    await stable();

    expect(fake.sentEvents('channel:leave')).toEqual([{ channel: 'general' }]);
    expect(TestBed.inject(Router).url).toBe('/');
  });

  it('stays in the channel when the Leave dialog is cancelled, focus back on Leave channel', async () => {
    polyfillDialog();
    await open('/c/general');
    const leave = buttonNamed(page(), 'Leave channel');
    leave.focus();
    leave.click();
    await stable();
    const dialog = page().querySelector('dialog')!;

    pressEscapeIn(dialog);
    await stable();

    expect(dialog.open).toBe(false);
    expect(document.activeElement).toBe(leave);
    expect(fake.sentEvents('channel:leave')).toEqual([]);
    expect(TestBed.inject(Router).url).toBe('/c/general');
  });

  it('closes when the channel is left in another tab', async () => {
    await open('/c/general');

    fake.serverEmit('channel:left', { channel: 'general' });
    await stable();

    expect(TestBed.inject(Router).url).toBe('/');
  });

  it('says why a channel could not be opened', async () => {
    fake.answerError('channel:join', { code: 'NOT_FOUND', message: 'There is no channel "nope".' });

    await open('/c/nope');

    expect(text(page())).toContain('#nope could not be opened');
    expect(text(page().querySelector('[role="alert"]'))).toBe('There is no channel "nope".');
  });
});
