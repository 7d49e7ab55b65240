import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeSocket, alice, message, provideFakeSocket, settle } from '../../testing/fake-socket';
import { AlertStore } from '../core/alert-store';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { KEEP_PER_CHANNEL, MessagesStore, mergeMessages, type ChatMessage } from './messages-store';

describe('MessagesStore', () => {
  let fake: FakeSocket;
  let store: MessagesStore;
  const general = signal<string | null>('general');

  const texts = (list: readonly ChatMessage[]) => list.map((m) => m.text);

  beforeEach(async () => {
    fake = new FakeSocket();
    TestBed.configureTestingModule({ providers: provideFakeSocket(fake) });
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

  it('shows a sent message once although both the ack and the broadcast bring it', async () => {
    store.loadHistory('general', []);
    const stored = message('general', 1, 'hello', alice);
    fake.answer('message:send', () => {
      fake.serverEmit('message:new', stored);
      return { ok: true, data: stored };
    });

    expect(await store.send('general', 'hello')).toBe(true);
    fake.serverEmit('message:new', stored);

    expect(texts(store.messagesIn(general)())).toEqual(['hello']);
    const [payload] = fake.sentEvents('message:send') as { clientId: string }[];
    expect(payload).toMatchObject({ channel: 'general', text: 'hello' });
    expect(payload.clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the server’s error when a message was not stored', async () => {
    store.loadHistory('general', []);
    const error = { code: 'NOT_A_MEMBER', message: 'Join the channel first.' } as const;
    fake.answerError('message:send', error);

    expect(await store.send('general', 'hello')).toBe(false);

    expect(TestBed.inject(AlertStore).at('chat')()).toEqual(error);
    expect(store.messagesIn(general)()).toEqual([]);
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

  it('forgets a channel: its live messages stop showing', () => {
    store.loadHistory('general', [message('general', 1, 'one')]);

    store.forget('general');
    fake.serverEmit('message:new', message('general', 2, 'two'));

    expect(store.messagesIn(general)()).toEqual([]);
  });

  it('clears everything on sign-out', () => {
    store.loadHistory('general', [message('general', 1, 'one')]);

    TestBed.inject(SessionStore).logOut();

    expect(store.messagesIn(general)()).toEqual([]);
  });
});

describe('mergeMessages', () => {
  it('orders by seq and keeps each id once', () => {
    const one = message('general', 1, 'one');
    const three = message('general', 3, 'three');
    const merged = mergeMessages(mergeMessages([], [three]), [one, three, message('general', 2, 'two')]);

    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(merged.every((m) => m.status === 'sent')).toBe(true);
  });

  it('returns the same list when nothing is new, so nothing re-renders', () => {
    const list = mergeMessages([], [message('general', 1, 'one')]);

    expect(mergeMessages(list, [list[0]])).toBe(list);
  });

  it(`keeps the newest ${KEEP_PER_CHANNEL}`, () => {
    const many = Array.from({ length: KEEP_PER_CHANNEL + 5 }, (_, i) =>
      message('general', i + 1, `m${i + 1}`),
    );

    const merged = mergeMessages([], many);

    expect(merged).toHaveLength(KEEP_PER_CHANNEL);
    expect(merged[0].seq).toBe(6);
  });
});
