import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  FakeSocket,
  alice,
  channel,
  message,
  provideFakeServer,
  settle,
  snapshot,
} from '../../testing/fake-socket';
import { ChannelsStore } from '../channels/channels-store';
import { MessagesStore } from '../chat/messages-store';
import { SessionStore } from '../core/session-store';
import { ConnectionCoordinator } from './connection-coordinator';

describe('ConnectionCoordinator', () => {
  const general = channel('General');
  const design = channel('Design');
  const random = channel('random');

  let fake: FakeSocket;
  let channels: ChannelsStore;
  let messages: MessagesStore;

  const shownIn = (id: string) =>
    messages
      .messagesIn(signal(id))()
      .map((m) => m.text);

  /** Opens a channel as the chat page does: join, then its history into the messages. */
  async function open(ref: string) {
    const opened = await channels.open(ref);
    if (opened) messages.loadHistory(opened.channel.id, opened.messages);
  }

  async function signIn(first: ReturnType<typeof snapshot>) {
    fake.answerOk('session:get', first);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  }

  beforeEach(() => {
    localStorage.clear();
    fake = new FakeSocket();
    TestBed.configureTestingModule({ providers: provideFakeServer(fake) });
    TestBed.inject(ConnectionCoordinator);
    channels = TestBed.inject(ChannelsStore);
    messages = TestBed.inject(MessagesStore);
  });

  it('hands the first snapshot to the channel list, with the channel to go back to', async () => {
    await signIn(snapshot({ channels: [general, design], joined: ['general'], lastChannel: 'general' }));

    expect(channels.loaded()).toBe(true);
    expect(channels.joinedIds()).toEqual(new Set(['general']));
    expect(channels.takeChannelToRestore()).toBe('general');
  });

  it('sends what waits in the outbox once the snapshot is in', async () => {
    await signIn(snapshot({ channels: [general], joined: ['general'] }));
    await open('general');
    fake.drop();
    messages.send('general', 'written offline');
    await settle();
    expect(fake.sentEvents('message:send')).toEqual([]);
    const stored = message('general', 1, 'written offline', alice);
    fake.answerOk('message:send', { id: stored.id, seq: stored.seq, createdAt: stored.createdAt });

    fake.acceptConnection();
    await settle();

    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ channel: 'general', text: 'written offline' }),
    ]);
  });

  describe('after a reconnect', () => {
    beforeEach(async () => {
      await signIn(snapshot({ channels: [general, design], joined: ['general', 'design'] }));
      fake.answerOk('channel:join', { channel: design, messages: [message('design', 1, 'd1')] });
      await open('design');
      fake.answerOk('channel:join', {
        channel: general,
        messages: [message('general', 1, 'g1'), message('general', 2, 'g2')],
      });
      await open('general');
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

      expect(channels.activeId()).toBeNull();
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
      await open('general');
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
      expect(channels.joinedIds()).toEqual(new Set(['random', 'general']));
      expect(channels.activeId()).toBe('general');
      expect(shownIn('general')).toEqual(['after the restart']);
    });

    it('closes the open channel when it does not exist any more', async () => {
      fake.answerOk('session:get', snapshot({ channels: [], joined: [] }));

      fake.refuse('SESSION_UNKNOWN');
      await settle();
      await settle();

      expect(fake.sentEvents('channel:join')).toEqual([{ channel: 'general' }]);
      expect(channels.activeId()).toBeNull();
      expect(shownIn('general')).toEqual([]);
    });
  });
});
