import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ClaimNameResponse } from '@flack/contract';
import {
  FakeSocket,
  alice,
  channel,
  message,
  provideFakeSocket,
  settle,
  snapshot,
} from '../../testing/fake-socket';
import { MessagesStore } from '../chat/messages-store';
import { AlertStore } from '../core/alert-store';
import { SessionApi } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { SavedSessions } from '../core/storage';
import { ChannelsStore } from './channels-store';

describe('ChannelsStore', () => {
  const general = channel('General');
  const random = channel('random');
  const design = channel('Design');

  let fake: FakeSocket;
  let store: ChannelsStore;
  let messages: MessagesStore;
  let saved: SavedSessions;

  const names = (list: readonly { name: string }[]) => list.map((c) => c.name);
  const shownIn = (id: string) =>
    messages
      .messagesIn(signal(id))()
      .map((m) => m.text);

  async function signIn(first = snapshot({ channels: [random, general, design], joined: ['general'] })) {
    fake.answerOk('session:get', first);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  }

  beforeEach(() => {
    localStorage.clear();
    fake = new FakeSocket();
    const claim: ClaimNameResponse = { token: 'token', user: alice };
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeSocket(fake),
        { provide: SessionApi, useValue: { claimName: () => Promise.resolve(claim) } },
      ],
    });
    store = TestBed.inject(ChannelsStore);
    messages = TestBed.inject(MessagesStore);
    saved = TestBed.inject(SavedSessions);
  });

  it('lists every channel by name, joined ones apart', async () => {
    expect(store.loaded()).toBe(false);

    await signIn();

    expect(store.loaded()).toBe(true);
    expect(names(store.joined())).toEqual(['General']);
    expect(names(store.notJoined())).toEqual(['Design', 'random']);
  });

  it('adds a channel someone creates, once', async () => {
    await signIn();
    const fresh = channel('announcements');

    fake.serverEmit('channel:created', fresh);
    fake.serverEmit('channel:created', fresh);

    expect(names(store.channels())).toEqual(['announcements', 'Design', 'General', 'random']);
  });

  it('follows joins made in another tab', async () => {
    await signIn();

    fake.serverEmit('channel:joined', design);

    expect(names(store.joined())).toEqual(['Design', 'General']);
  });

  it('creates a channel and joins it', async () => {
    await signIn();
    const created = channel('Ideas');
    fake.answerOk('channel:create', { channel: created, messages: [] });

    expect(await store.create('  Ideas ')).toEqual(created);

    expect(fake.sentEvents('channel:create')).toEqual([{ name: 'Ideas' }]);
    expect(names(store.joined())).toEqual(['General', 'Ideas']);
  });

  it("shows the server's message when the name is taken", async () => {
    await signIn();
    const exists = { code: 'CHANNEL_EXISTS', message: 'A channel named "general" already exists.' } as const;
    fake.answerError('channel:create', exists);

    expect(await store.create('general')).toBeNull();

    expect(TestBed.inject(AlertStore).at('sidebar')()).toEqual(exists);
    expect(names(store.channels())).toEqual(['Design', 'General', 'random']);
  });

  it('opens a channel: joins it, shows its history and remembers it', async () => {
    await signIn();
    fake.answerOk('channel:join', { channel: design, messages: [message('design', 1, 'mock-ups')] });

    await store.open('Design');

    expect(store.activeId()).toBe('design');
    expect(store.active()).toEqual(design);
    expect(names(store.joined())).toEqual(['Design', 'General']);
    expect(shownIn('design')).toEqual(['mock-ups']);
    expect(saved.lastChannel(alice.id)).toBe('design');
  });

  it('leaves a channel: no longer joined, open or showing live messages', async () => {
    await signIn();
    fake.answerOk('channel:join', { channel: general, messages: [] });
    fake.answerOk('channel:leave', null);
    await store.open('general');

    expect(await store.leave('general')).toBe(true);
    fake.serverEmit('message:new', message('general', 1, 'after leaving'));

    expect(store.joined()).toEqual([]);
    expect(store.activeId()).toBeNull();
    expect(shownIn('general')).toEqual([]);
    expect(saved.lastChannel(alice.id)).toBeNull();
  });

  it('closes a channel left in another tab', async () => {
    await signIn();
    fake.answerOk('channel:join', { channel: general, messages: [] });
    await store.open('general');

    fake.serverEmit('channel:left', { channel: 'general' });

    expect(store.activeId()).toBeNull();
    expect(store.joined()).toEqual([]);
  });

  it('hands out the last channel once, and only while it is joined', async () => {
    await signIn(snapshot({ channels: [general, random], joined: ['general'], lastChannel: 'general' }));

    expect(store.takeChannelToRestore()).toBe('general');
    expect(store.takeChannelToRestore()).toBeNull();
  });

  it('falls back to the last channel kept in this browser', async () => {
    saved.saveLastChannel(alice.id, 'general');

    await signIn(snapshot({ channels: [general], joined: ['general'], lastChannel: null }));

    expect(store.takeChannelToRestore()).toBe('general');
  });

  it('does not hand out a channel that was left', async () => {
    await signIn(snapshot({ channels: [general], joined: [], lastChannel: null }));
    saved.saveLastChannel(alice.id, 'general');

    expect(store.takeChannelToRestore()).toBeNull();
  });

  describe('after a reconnect', () => {
    beforeEach(async () => {
      await signIn(snapshot({ channels: [general, design], joined: ['general', 'design'] }));
      fake.answerOk('channel:join', { channel: design, messages: [message('design', 1, 'd1')] });
      await store.open('design');
      fake.answerOk('channel:join', {
        channel: general,
        messages: [message('general', 1, 'g1'), message('general', 2, 'g2')],
      });
      await store.open('general');
      fake.drop();
    });

    it('catches up the open channel and drops the others until they are opened again', async () => {
      fake.answerOk('session:get', snapshot({ channels: [general, design], joined: ['general', 'design'] }));
      fake.answerOk('channel:history', { messages: [message('general', 3, 'g3')], truncated: false });

      fake.acceptConnection();
      await settle();

      // The gap first, then the whole stored history for edits and deletions made meanwhile.
      expect(fake.sentEvents('channel:history')).toEqual([
        { channel: 'general', afterSeq: 2 },
        { channel: 'general' },
      ]);
      expect(shownIn('general')).toEqual(['g1', 'g2', 'g3']);
      expect(shownIn('design')).toEqual([]);
    });

    it('closes the open channel when it was left meanwhile', async () => {
      fake.answerOk('session:get', snapshot({ channels: [general, design], joined: ['design'] }));

      fake.acceptConnection();
      await settle();

      expect(store.activeId()).toBeNull();
      expect(fake.sentEvents('channel:history')).toEqual([]);
    });
  });

  describe('after a server restart', () => {
    const random2 = channel('random');

    beforeEach(async () => {
      await signIn(
        snapshot({ channels: [general, design, random], joined: ['design', 'general', 'random'] }),
      );
      fake.answerOk('channel:join', {
        channel: general,
        messages: [message('general', 41, 'before the restart')],
      });
      await store.open('general');
      fake.drop();
    });

    it('joins again the channels that exist again, the open one last, and reloads its history', async () => {
      // Only #General and #random were created again after the restart; #Design is gone.
      fake.answerOk('session:get', snapshot({ channels: [general, random2], joined: [] }));
      fake.answer('channel:join', (payload) => {
        const id = (payload as { channel: string }).channel;
        const again = id === 'general' ? general : random2;
        const history = id === 'general' ? [message('general', 1, 'after the restart')] : [];
        return { ok: true, data: { channel: again, messages: history } };
      });

      fake.refuse('SESSION_UNKNOWN');
      await settle();
      await settle();

      expect(fake.sentEvents('channel:join').slice(-2)).toEqual([
        { channel: 'random' },
        { channel: 'general' },
      ]);
      expect(store.joinedIds()).toEqual(new Set(['random', 'general']));
      expect(store.activeId()).toBe('general');
      expect(shownIn('general')).toEqual(['after the restart']);
    });

    it('closes the open channel when it does not exist any more', async () => {
      fake.answerOk('session:get', snapshot({ channels: [], joined: [] }));

      fake.refuse('SESSION_UNKNOWN');
      await settle();
      await settle();

      expect(fake.sentEvents('channel:join')).toEqual([{ channel: 'general' }]);
      expect(store.activeId()).toBeNull();
      expect(shownIn('general')).toEqual([]);
    });
  });

  it('empties on sign-out', async () => {
    await signIn();

    TestBed.inject(SessionStore).logOut();

    expect(store.channels()).toEqual([]);
    expect(store.loaded()).toBe(false);
  });
});
