import { signal } from '@angular/core';
import type { Message, SendMessagePayload } from '@flack/contract';
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
import { AlertStore } from '../core/alert-store';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { GAP_WAIT_MS, MessagesStore, type ChatMessage } from './messages-store';

describe('MessagesStore', () => {
  let fake: FakeSocket;
  let store: MessagesStore;
  const general = signal<string | null>('general');

  const texts = (list: readonly ChatMessage[]) => list.map((m) => m.text);

  beforeEach(async () => {
    localStorage.clear();
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    TestBed.configureTestingModule({ providers: provideFakeServer(fake) });
    store = TestBed.inject(MessagesStore);
    TestBed.inject(ChatSocket).connect('token');
    await settle();
  });

  it('shows a loaded channel’s history, then its live messages', () => {
    const shown = store.messagesIn(general);
    store.loadHistory('general', [message('general', 1, 'one'), message('general', 2, 'two')]);

    fake.serverEmit('message:new', message('general', 3, 'three'));

    expect(texts(shown())).toEqual(['one', 'two', 'three']);
  });

  it('ignores live messages for channels it does not track', () => {
    fake.serverEmit('message:new', message('random', 1, 'elsewhere'));

    expect(store.messagesIn(signal('random'))()).toEqual([]);
  });

  describe('a sent message, however its ack and its broadcast arrive', () => {
    /** What the server answers a send: the stored message's id, seq and time, nothing else. */
    const ackOf = ({ id, seq, createdAt }: Message) => ({ ok: true, data: { id, seq, createdAt } });
    const rows = () =>
      store
        .messagesIn(general)()
        .map((m) => [m.text, m.status]);
    const settleGapWait = () => new Promise((resolve) => setTimeout(resolve, GAP_WAIT_MS + 50));
    const one = message('general', 1, 'one');

    beforeEach(async () => {
      await TestBed.inject(SessionStore).signIn('Alice');
      await settle();
      store.loadHistory('general', [one]);
    });

    it('shows it once, sent, when the broadcast comes first', async () => {
      fake.answer('message:send', (payload) => {
        const stored = {
          ...message('general', 2, 'hello', alice),
          clientId: (payload as SendMessagePayload).clientId,
        };
        fake.serverEmit('message:new', stored);
        return ackOf(stored);
      });

      store.send('general', 'hello');
      await settle();

      expect(rows()).toEqual([
        ['one', 'sent'],
        ['hello', 'sent'],
      ]);
      const [payload] = fake.sentEvents('message:send') as { clientId: string }[];
      expect(payload).toMatchObject({ channel: 'general', text: 'hello' });
      expect(payload.clientId).toMatch(/^[0-9a-f-]{36}$/);
      await settleGapWait();
      expect(fake.sentEvents('channel:history')).toEqual([]);
    });

    it('shows it sent from the ack, with the server’s time and its quote, then takes in the broadcast', async () => {
      let stored!: Message;
      fake.answer('message:send', (payload) => {
        const { clientId } = payload as SendMessagePayload;
        stored = {
          ...message('general', 2, 'yes', alice),
          clientId,
          replyTo: { id: one.id, seq: 1, author: bob, excerpt: 'one' },
        };
        return ackOf(stored);
      });

      store.send('general', 'yes', { ...one, status: 'sent' });
      await settle();

      expect(rows()).toEqual([
        ['one', 'sent'],
        ['yes', 'sent'],
      ]);
      expect(store.messagesIn(general)()[1]).toEqual({ ...stored, status: 'sent' });
      fake.serverEmit('message:new', stored);
      expect(store.messagesIn(general)()).toEqual([
        { ...one, status: 'sent' },
        { ...stored, status: 'sent' },
      ]);
      await settleGapWait();
      expect(fake.sentEvents('channel:history')).toEqual([]);
    });

    it('asks the history for it when its broadcast never comes (missed by a socket that reconnected)', async () => {
      let stored!: Message;
      fake.answer('message:send', (payload) => {
        stored = {
          ...message('general', 2, 'hello', alice),
          clientId: (payload as SendMessagePayload).clientId,
        };
        fake.answerOk('channel:history', { messages: [stored], truncated: false });
        return ackOf(stored);
      });

      store.send('general', 'hello');
      await settle();
      expect(rows()).toEqual([
        ['one', 'sent'],
        ['hello', 'sent'],
      ]);

      await settleGapWait();
      expect(fake.sentEvents('channel:history')).toEqual([{ channel: 'general', afterSeq: 1 }]);
      expect(store.messagesIn(general)()).toEqual([
        { ...one, status: 'sent' },
        { ...stored, status: 'sent' },
      ]);
      // Later messages follow it with no gap.
      fake.serverEmit('message:new', message('general', 3, 'three'));
      expect(rows().map(([text]) => text)).toEqual(['one', 'hello', 'three']);
    });

    it('shows it once when a catch-up brings it before the ack of its retry', async () => {
      let answer: (response: unknown) => void = () => undefined;
      fake.answer('message:send', () => new Promise((resolve) => (answer = resolve)) as never);
      store.send('general', 'hello');
      const [{ clientId }] = fake.sentEvents('message:send') as SendMessagePayload[];
      const stored = { ...message('general', 2, 'hello', alice), clientId };
      fake.answerOk('channel:history', { messages: [stored], truncated: false });

      await store.catchUp('general');
      expect(rows()).toEqual([
        ['one', 'sent'],
        ['hello', 'sent'],
      ]);
      answer(ackOf(stored));
      await settle();

      expect(store.messagesIn(general)()).toEqual([
        { ...one, status: 'sent' },
        { ...stored, status: 'sent' },
      ]);
      await settleGapWait();
      expect(fake.sentEvents('channel:history')).toHaveLength(1);
    });

    it('forgets one still to come when the channel is left', async () => {
      fake.answer('message:send', () => ackOf(message('general', 2, 'hello', alice)));
      store.send('general', 'hello');
      await settle();

      fake.serverEmit('channel:left', { channel: 'general' });

      expect(store.messagesIn(general)()).toEqual([]);
    });
  });

  it('shows a message as pending at once, and as failed with the reason when refused', async () => {
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    store.loadHistory('general', [message('general', 1, 'one')]);
    let answer: (response: unknown) => void = () => undefined;
    fake.answer('message:send', () => new Promise((resolve) => (answer = resolve)) as never);

    store.send('general', 'hello');

    expect(
      store
        .messagesIn(general)()
        .map((m) => [m.text, m.status]),
    ).toEqual([
      ['one', 'sent'],
      ['hello', 'pending'],
    ]);
    answer({ ok: false, error: { code: 'NOT_A_MEMBER', message: 'Join the channel first.' } });
    await settle();

    expect(store.messagesIn(general)().at(-1)).toMatchObject({
      text: 'hello',
      status: 'failed',
      failure: 'Join the channel first.',
      author: alice,
    });
  });

  it('catches up after a reconnect with what came after the last message, without duplicates', async () => {
    const second = message('general', 2, 'two');
    store.loadHistory('general', [message('general', 1, 'one'), second]);
    fake.answerOk('channel:history', {
      messages: [second, message('general', 3, 'three')],
      truncated: false,
    });

    await store.catchUp('general');

    expect(fake.sentEvents('channel:history')).toEqual([{ channel: 'general', afterSeq: 2 }]);
    expect(texts(store.messagesIn(general)())).toEqual(['one', 'two', 'three']);
  });

  it('replaces its view when the missed messages were already evicted', async () => {
    store.loadHistory('general', [message('general', 1, 'one')]);
    fake.answerOk('channel:history', { messages: [message('general', 150, 'much later')], truncated: true });

    await store.catchUp('general');

    expect(texts(store.messagesIn(general)())).toEqual(['much later']);
  });

  it('asks for what it missed when a live message skips a seq, and fills the hole', async () => {
    store.loadHistory('general', [message('general', 1, 'one')]);
    fake.answerOk('channel:history', {
      messages: [message('general', 2, 'two'), message('general', 3, 'three')],
      truncated: false,
    });

    fake.serverEmit('message:new', message('general', 3, 'three'));
    await settle();
    // Not at once: the missing one may be on its way from another server instance.
    expect(fake.sentEvents('channel:history')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, GAP_WAIT_MS + 50));
    await settle();

    expect(fake.sentEvents('channel:history')).toEqual([{ channel: 'general', afterSeq: 1 }]);
    expect(texts(store.messagesIn(general)())).toEqual(['one', 'two', 'three']);
  });

  it('asks nothing when a message that arrived out of order is followed by the one it skipped', async () => {
    store.loadHistory('general', [message('general', 1, 'one')]);

    fake.serverEmit('message:new', message('general', 3, 'three'));
    fake.serverEmit('message:new', message('general', 2, 'two'));
    await new Promise((resolve) => setTimeout(resolve, GAP_WAIT_MS + 50));
    await settle();

    expect(fake.sentEvents('channel:history')).toEqual([]);
    expect(texts(store.messagesIn(general)())).toEqual(['one', 'two', 'three']);
  });

  it('catches up again when asked while a catch-up runs, from where the first one ended', async () => {
    store.loadHistory('general', [message('general', 1, 'one')]);
    const answers = [
      { messages: [message('general', 2, 'two')], truncated: false },
      { messages: [message('general', 3, 'three')], truncated: false },
    ];
    fake.answer('channel:history', () => ({ ok: true, data: answers.shift() }));

    const first = store.catchUp('general');
    const second = store.catchUp('general');
    await Promise.all([first, second]);

    expect(fake.sentEvents('channel:history')).toEqual([
      { channel: 'general', afterSeq: 1 },
      { channel: 'general', afterSeq: 2 },
    ]);
    expect(texts(store.messagesIn(general)())).toEqual(['one', 'two', 'three']);
  });

  it('takes in edits and hides deleted messages, live', () => {
    const first = message('general', 1, 'helo');
    store.loadHistory('general', [first, message('general', 2, 'two')]);

    const edited = { ...first, text: 'hello', editedAt: '2025-01-01T10:00:00.000Z', revision: 1 };
    fake.serverEmit('message:updated', edited);
    expect(texts(store.messagesIn(general)())).toEqual(['hello', 'two']);

    fake.serverEmit('message:updated', {
      ...first,
      text: '',
      deletedAt: '2025-01-01T10:01:00.000Z',
      revision: 2,
    });
    expect(texts(store.messagesIn(general)())).toEqual(['two']);

    // A late copy of an older version changes nothing.
    fake.serverEmit('message:updated', edited);
    expect(texts(store.messagesIn(general)())).toEqual(['two']);
  });

  it('edits and deletes through the server, showing its refusal', async () => {
    const mine = message('general', 1, 'typo', alice);
    store.loadHistory('general', [mine]);
    fake.answerOk('message:edit', {
      ...mine,
      text: 'fixed',
      editedAt: '2025-01-01T10:00:00.000Z',
      revision: 1,
    });

    expect(await store.edit('general', mine.id, 'fixed')).toBe(true);
    expect(store.messagesIn(general)()[0]).toMatchObject({
      text: 'fixed',
      editedAt: '2025-01-01T10:00:00.000Z',
    });

    fake.answerError('message:delete', {
      code: 'FORBIDDEN',
      message: 'You can only edit or delete your own messages.',
    });
    expect(await store.delete('general', mine.id)).toBe(false);
    expect(TestBed.inject(AlertStore).at('chat')()?.code).toBe('FORBIDDEN');
    expect(texts(store.messagesIn(general)())).toEqual(['fixed']);
  });

  it('adds and takes back reactions through the server, and takes in everyone’s live', async () => {
    const lunch = message('general', 1, 'lunch?');
    store.loadHistory('general', [lunch]);
    const withAlice = { ...lunch, revision: 1, reactions: [{ emoji: '👍', users: [alice] }] };
    fake.answerOk('message:react', withAlice);

    expect(await store.react('general', lunch.id, '👍')).toBe(true);
    expect(fake.sentEvents('message:react')).toEqual([{ channel: 'general', id: lunch.id, emoji: '👍' }]);
    expect(store.messagesIn(general)()[0].reactions).toEqual(withAlice.reactions);

    // Bob's reaction, broadcast; then a late copy of an older version changes nothing.
    const both = { ...lunch, revision: 2, reactions: [{ emoji: '👍', users: [alice, bob] }] };
    fake.serverEmit('message:updated', both);
    fake.serverEmit('message:updated', withAlice);
    expect(store.messagesIn(general)()[0].reactions).toEqual(both.reactions);

    const bobOnly = { ...lunch, revision: 3, reactions: [{ emoji: '👍', users: [bob] }] };
    fake.answerOk('message:unreact', bobOnly);
    expect(await store.unreact('general', lunch.id, '👍')).toBe(true);
    expect(fake.sentEvents('message:unreact')).toEqual([{ channel: 'general', id: lunch.id, emoji: '👍' }]);
    expect(store.messagesIn(general)()[0].reactions).toEqual(bobOnly.reactions);
  });

  it('shows why a reaction was refused', async () => {
    const lunch = message('general', 1, 'lunch?');
    store.loadHistory('general', [lunch]);
    fake.answerError('message:react', {
      code: 'INVALID',
      message: 'A message can have at most 20 different emoji.',
    });

    expect(await store.react('general', lunch.id, '🦄')).toBe(false);

    expect(TestBed.inject(AlertStore).at('chat')()?.message).toBe(
      'A message can have at most 20 different emoji.',
    );
    expect(store.messagesIn(general)()[0].reactions).toBeUndefined();
  });

  it('sends a reply with what it answers, quoted while pending', async () => {
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    const original = message('general', 1, 'the meeting is at 3\nbring slides');
    store.loadHistory('general', [original]);
    fake.answer('message:send', () => new Promise(() => undefined) as never);

    store.send('general', 'see you there', { ...original, status: 'sent' });

    const pending = store.messagesIn(general)().at(-1);
    expect(pending).toMatchObject({
      text: 'see you there',
      status: 'pending',
      replyTo: { id: original.id, seq: 1, author: bob, excerpt: 'the meeting is at 3' },
    });
    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ text: 'see you there', replyTo: original.id }),
    ]);
  });

  it('forgets a channel left here or in another tab: its live messages stop showing', () => {
    store.loadHistory('general', [message('general', 1, 'one')]);

    fake.serverEmit('channel:left', { channel: 'general' });
    fake.serverEmit('message:new', message('general', 2, 'two'));

    expect(store.messagesIn(general)()).toEqual([]);
  });

  it('clears everything on sign-out', () => {
    store.loadHistory('general', [message('general', 1, 'one')]);

    TestBed.inject(SessionStore).logOut();

    expect(store.messagesIn(general)()).toEqual([]);
  });
});
