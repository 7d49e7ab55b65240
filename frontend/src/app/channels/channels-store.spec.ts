import { TestBed } from '@angular/core/testing';
import type { ClaimNameResponse } from '@flack/contract';
import { FakeSocket, alice, channel, provideFakeSocket, settle, snapshot } from '../../testing/fake-socket';
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
  let saved: SavedSessions;

  const names = (list: readonly { name: string }[]) => list.map((c) => c.name);

  /** Signs in; the first snapshot is handed over as shell/connection-coordinator.ts does. */
  async function signIn(first = snapshot({ channels: [random, general, design], joined: ['general'] })) {
    fake.answerOk('session:get', first);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    store.applySnapshot({ snapshot: first, reconnect: false, restarted: false });
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
    saved = TestBed.inject(SavedSessions);
  });

  it('lists every channel by name, joined ones apart', async () => {
    expect(store.loaded()).toBe(false);

    await signIn();

    expect(store.loaded()).toBe(true);
    expect(names(store.joined())).toEqual(['General']);
    expect(names(store.notJoined())).toEqual(['Design', 'random']);
  });

  it('puts numbers in order by value: Maker2 before Maker10, channels and direct messages alike', async () => {
    const maker10 = channel('Maker10');
    const maker2 = channel('maker2');
    const withTen = channel('dm', { id: 'dm:ten', dm: [alice, { id: 'u-10', name: 'Maker10' }] });
    const withTwo = channel('dm', { id: 'dm:two', dm: [alice, { id: 'u-2', name: 'Maker2' }] });
    await signIn(
      snapshot({
        channels: [maker10, withTen, maker2, withTwo],
        joined: ['maker10', 'maker2', 'dm:ten', 'dm:two'],
      }),
    );

    expect(names(store.joined())).toEqual(['maker2', 'Maker10']);
    expect(store.directMessages().map((dm) => dm.id)).toEqual(['dm:two', 'dm:ten']);
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

  it('opens a channel: joins it, hands over its history and remembers it', async () => {
    await signIn();
    const history = { channel: design, messages: [] };
    fake.answerOk('channel:join', history);

    expect(await store.open('Design')).toEqual(history);

    expect(store.activeId()).toBe('design');
    expect(store.active()).toEqual(design);
    expect(names(store.joined())).toEqual(['Design', 'General']);
    expect(saved.lastChannel(alice.id)).toBe('design');
  });

  it('leaves a channel: no longer joined or open, and not reopened next time', async () => {
    await signIn();
    fake.answerOk('channel:join', { channel: general, messages: [] });
    fake.answerOk('channel:leave', null);
    await store.open('general');

    expect(await store.leave('general')).toBe(true);

    expect(store.joined()).toEqual([]);
    expect(store.activeId()).toBeNull();
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

  it('drops a removed channel from every list, and closes it if it was open', async () => {
    await signIn(snapshot({ channels: [general, random], joined: ['general'] }));
    fake.answerOk('channel:join', { channel: general, messages: [] });
    await store.open('general');

    fake.serverEmit('channel:removed', { channel: 'general' });
    fake.serverEmit('channel:removed', { channel: 'random' });

    expect(store.activeId()).toBeNull();
    expect(store.joined()).toEqual([]);
    expect(store.channels()).toEqual([]);
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

  it('hands out no channel to restore after a reconnect', async () => {
    const first = snapshot({ channels: [general], joined: ['general'], lastChannel: null });
    await signIn(first);

    store.applySnapshot({
      snapshot: { ...first, lastChannel: 'general' },
      reconnect: true,
      restarted: false,
    });

    expect(store.takeChannelToRestore()).toBeNull();
  });

  it('joins again after a server restart without an alert, and says when it could not', async () => {
    await signIn(snapshot({ channels: [general], joined: [] }));
    fake.answerOk('channel:join', { channel: general, messages: [] });

    expect(await store.rejoin('general')).toEqual({ channel: general, messages: [] });
    expect(store.joinedIds()).toEqual(new Set(['general']));

    fake.answerError('channel:join', { code: 'NOT_FOUND', message: 'No such channel.' });
    expect(await store.rejoin('design')).toBeNull();
    expect(TestBed.inject(AlertStore).at('chat')()).toBeNull();
  });

  it('empties on sign-out', async () => {
    await signIn();

    TestBed.inject(SessionStore).logOut();

    expect(store.channels()).toEqual([]);
    expect(store.loaded()).toBe(false);
  });
});
