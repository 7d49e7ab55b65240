import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import {
  FakeSocket,
  alice,
  bob,
  message,
  provideFakeServer,
  settle,
  snapshot,
} from '../../testing/fake-socket';
import { SessionStore } from '../core/session-store';
import { MembersStore } from './members-store';
import { PresenceStore } from './presence-store';
import { TYPING_REPEAT_MS, TypingStore, describeTypists } from './typing-store';

const carol = { id: 'u-carol', name: 'Carol' };
const dave = { id: 'u-dave', name: 'Dave' };

describe('people stores', () => {
  let fake: FakeSocket;

  beforeEach(async () => {
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot({ online: [bob, alice] }));
    TestBed.configureTestingModule({ providers: provideFakeServer(fake) });
  });

  const signIn = async () => {
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  };

  describe('PresenceStore', () => {
    it('starts from the snapshot and follows who comes and goes', async () => {
      const presence = TestBed.inject(PresenceStore);
      await signIn();
      expect(presence.online().map((user) => user.name)).toEqual(['Alice', 'Bob']);

      fake.serverEmit('presence:changed', [
        { user: carol, online: true },
        { user: bob, online: false },
      ]);

      expect(presence.online().map((user) => user.name)).toEqual(['Alice', 'Carol']);
      expect(presence.isOnline('u-bob')).toBe(false);
    });
  });

  describe('TypingStore', () => {
    const general = signal<string | null>('general');

    it('says who else is typing, and forgets someone whose message arrived', async () => {
      const typing = TestBed.inject(TypingStore);
      await signIn();
      const sentence = typing.sentenceFor(general);

      fake.serverEmit('typing', { channel: 'general', users: [alice, bob] });
      expect(sentence()).toBe('Bob is typing…');
      fake.serverEmit('typing', { channel: 'general', users: [bob, carol] });
      expect(sentence()).toBe('Bob and Carol are typing…');

      fake.serverEmit('message:new', message('general', 1, 'done', bob));
      expect(sentence()).toBe('Carol is typing…');
    });

    it('tells the server at most once per few seconds, and that it stopped', async () => {
      const typing = TestBed.inject(TypingStore);
      fake.answerOk('typing:start', null);
      fake.answerOk('typing:stop', null);
      await signIn();
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);

      typing.typed('general');
      typing.typed('general');
      now.mockReturnValue(1_000_000 + TYPING_REPEAT_MS);
      typing.typed('general');
      typing.stopped('general');
      typing.stopped('general');

      expect(fake.sent.filter((e) => e.event.startsWith('typing')).map((e) => e.event)).toEqual([
        'typing:start',
        'typing:start',
        'typing:stop',
      ]);
      now.mockRestore();
    });

    it('words three or more typists as several people', () => {
      expect(describeTypists([bob, carol, dave])).toBe('Several people are typing…');
      expect(describeTypists([])).toBeNull();
    });
  });

  describe('MembersStore', () => {
    it('loads the members of the open channel and follows joins and leaves', async () => {
      const members = TestBed.inject(MembersStore);
      fake.answerOk('channel:members', [bob, alice]);
      await signIn();
      const shown = members.membersOf(signal('general'));

      await members.load('general');
      expect(shown()?.map((user) => user.name)).toEqual(['Alice', 'Bob']);

      fake.serverEmit('channel:membership', { channel: 'general', user: carol, joined: true });
      fake.serverEmit('channel:membership', { channel: 'general', user: bob, joined: false });
      fake.serverEmit('channel:membership', { channel: 'random', user: dave, joined: true });

      expect(shown()?.map((user) => user.name)).toEqual(['Alice', 'Carol']);
    });
  });
});
