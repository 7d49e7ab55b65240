import { TestBed } from '@angular/core/testing';
import type { ReadState } from '@flack/contract';
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
import { SessionStore } from '../core/session-store';
import { ChannelsStore } from './channels-store';
import { UnreadStore } from './unread-store';

describe('UnreadStore', () => {
  const general = channel('General');
  const random = channel('random');
  let fake: FakeSocket;
  let unread: UnreadStore;

  const state = (channelId: string, unreadCount: number, mentions = 0, lastReadSeq = 0): ReadState => ({
    channel: channelId,
    lastReadSeq,
    unread: unreadCount,
    mentions,
  });

  beforeEach(async () => {
    fake = new FakeSocket();
    const first = snapshot({
      channels: [general, random],
      joined: ['general', 'random'],
      readStates: [state('general', 2, 1, 3), state('random', 0)],
    });
    fake.answerOk('session:get', first);
    TestBed.configureTestingModule({ providers: provideFakeServer(fake) });
    unread = TestBed.inject(UnreadStore);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    // As shell/connection-coordinator.ts does with every snapshot.
    TestBed.inject(ChannelsStore).applySnapshot({ snapshot: first, reconnect: false, restarted: false });
  });

  it('starts from the server’s counts, with mentions apart, and totals them', () => {
    expect(unread.countOf('general')).toEqual({ unread: 2, mentions: 1 });
    expect(unread.lastReadSeq('general')).toBe(3);
    expect(unread.total()).toBe(2);
  });

  it('counts live messages by others in channels not being read, and mentions of this person', () => {
    fake.serverEmit('message:new', message('random', 1, 'news', bob));
    fake.serverEmit('message:new', message('random', 2, 'hey @alice', bob));
    fake.serverEmit('message:new', message('random', 3, 'my own', alice));

    expect(unread.countOf('random')).toEqual({ unread: 2, mentions: 1 });
    expect(unread.total()).toBe(4);
  });

  it('counts a message once when it is broadcast again (a retry of a send whose ack was lost)', () => {
    const news = message('random', 1, 'hey @alice', bob);
    fake.serverEmit('message:new', news);
    fake.serverEmit('message:new', news);
    fake.serverEmit('message:new', message('random', 2, 'more', bob));
    fake.serverEmit('message:new', news);
    expect(unread.countOf('random')).toEqual({ unread: 2, mentions: 1 });
  });

  it('marks the open channel read as messages come, for every tab', async () => {
    fake.answerOk('channel:join', { channel: random, messages: [] });
    fake.answer('channel:read', (payload) => ({
      ok: true,
      data: state((payload as { channel: string }).channel, 0, 0, 1),
    }));
    await TestBed.inject(ChannelsStore).open('random');

    fake.serverEmit('message:new', message('random', 1, 'seen at once', bob));
    await settle();

    expect(unread.countOf('random')).toEqual({ unread: 0, mentions: 0 });
    expect(fake.sentEvents('channel:read')).toEqual([{ channel: 'random', seq: 1 }]);
  });

  it('follows what another tab read', () => {
    fake.serverEmit('channel:read', state('general', 0, 0, 5));

    expect(unread.countOf('general')).toEqual({ unread: 0, mentions: 0 });
    expect(unread.total()).toBe(0);
  });

  it('forgets a channel that was left', () => {
    fake.serverEmit('channel:left', { channel: 'general' });

    expect(unread.total()).toBe(0);
  });
});
