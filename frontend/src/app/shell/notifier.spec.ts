import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import {
  FakeSocket,
  alice,
  bob,
  channel,
  message,
  provideFakeServer,
  settle,
  snapshot,
} from '../../testing/fake-socket';
import { ChannelsStore } from '../channels/channels-store';
import { SessionStore } from '../core/session-store';
import { ConnectionCoordinator } from './connection-coordinator';
import { Notifier } from './notifier';

/** Records what the app would show, as the browser's Notification would. */
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static shown: FakeNotification[] = [];
  static requestPermission = jest.fn(() => Promise.resolve<NotificationPermission>('granted'));
  onclick: (() => void) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

describe('Notifier', () => {
  const general = channel('General');
  const random = channel('random');
  const dm = channel('Alice, Bob', { id: 'dm:u-alice:u-bob', dm: [alice, bob] });
  let fake: FakeSocket;
  let notifier: Notifier;

  beforeEach(async () => {
    FakeNotification.permission = 'default';
    FakeNotification.shown = [];
    (window as unknown as { Notification: unknown }).Notification = FakeNotification;
    fake = new FakeSocket();
    fake.answerOk(
      'session:get',
      snapshot({ channels: [general, random, dm], joined: ['general', 'random', dm.id] }),
    );
    fake.answerOk('channel:join', { channel: general, messages: [] });
    TestBed.configureTestingModule({ providers: provideFakeServer(fake) });
    notifier = TestBed.inject(Notifier);
    TestBed.inject(ConnectionCoordinator);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    await TestBed.inject(ChannelsStore).open('general');
  });

  afterEach(() => delete (window as unknown as { Notification?: unknown }).Notification);

  it('asks for permission only when told to (from a click), and shows nothing before', async () => {
    fake.serverEmit('message:new', message('random', 1, 'hey @alice', bob));
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    expect(FakeNotification.shown).toEqual([]);

    await notifier.enable();

    expect(notifier.permission()).toBe('granted');
  });

  it('notifies mentions and direct messages elsewhere, not plain messages or the open channel', async () => {
    await notifier.enable();

    fake.serverEmit('message:new', message('random', 1, 'hey @alice, look', bob));
    fake.serverEmit('message:new', message('random', 2, 'plain chatter', bob));
    fake.serverEmit('message:new', message('general', 1, '@alice in the open channel', bob));
    fake.serverEmit('message:new', message(dm.id, 1, 'just for you', bob));
    fake.serverEmit('message:new', message('random', 3, 'I mention @alice myself', alice));

    expect(FakeNotification.shown.map((shown) => [shown.title, shown.options.body])).toEqual([
      ['Bob (#random)', 'hey @alice, look'],
      ['Bob (direct message)', 'just for you'],
    ]);
  });

  it('opens the channel when a notification is clicked', async () => {
    await notifier.enable();
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const focus = jest.spyOn(window, 'focus').mockImplementation(() => undefined);
    fake.serverEmit('message:new', message('random', 1, '@alice come here', bob));

    FakeNotification.shown[0].onclick?.();

    expect(navigate).toHaveBeenCalledWith(['/c', 'random']);
    expect(FakeNotification.shown[0].closed).toBe(true);
    expect(focus).toHaveBeenCalled();
  });
});
