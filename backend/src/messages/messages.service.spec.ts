import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { inMemoryServices } from '../../test/support/services.js';

const alice = { id: 'u-alice', name: 'alice' };
const bob = { id: 'u-bob', name: 'bob' };

describe('MessagesService', () => {
  let app: ReturnType<typeof inMemoryServices>;

  beforeEach(async () => {
    app = inMemoryServices();
    await app.channels.create(alice, 'general');
  });
  afterEach(() => app.stop());

  const send = (author = alice, text = 'hi', clientId: string = randomUUID(), channel = 'General') =>
    app.messages.send(author, { channel, text, clientId });
  const stored = () => app.repositories.messages.recent('general');

  it('stamps id, seq, author and server time', async () => {
    const { message, duplicate } = await send();
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({ channel: 'general', seq: 1, author: alice, text: 'hi' });
    expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
    expect((await send()).message.seq).toBe(2);
  });

  it('refuses a non-member without storing anything', async () => {
    await expect(send(bob)).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(await stored()).toEqual([]);
    expect((await app.channels.list())[0].messages).toBe(0);
  });

  it('stores a repeated clientId once, even when both arrive together, and counts it once', async () => {
    const clientId = randomUUID();
    const [a, b] = await Promise.all([send(alice, 'x', clientId), send(alice, 'x', clientId)]);
    expect(a.message).toEqual(b.message);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(await stored()).toHaveLength(1);
    expect((await app.channels.list())[0]).toMatchObject({ messages: 1, lastMessageAt: a.message.createdAt });
  });

  it('does not answer a clientId used in another channel with that other message', async () => {
    await app.channels.create(alice, 'random');
    const clientId = randomUUID();
    const first = await send(alice, 'in general', clientId);
    const second = await send(alice, 'in random', clientId, 'random');
    expect(second).toMatchObject({ duplicate: false, message: { channel: 'random', text: 'in random' } });
    expect(first.message.channel).toBe('general');
  });

  it('keeps the last 100 per channel, and says when a catch-up gap was evicted', async () => {
    for (let i = 1; i <= 105; i++) await send(alice, `m${i}`);
    expect((await stored()).map((message) => message.text)).toEqual(
      Array.from({ length: 100 }, (_, i) => `m${i + 6}`),
    );
    expect(await app.messages.history(alice.id, 'general', 104)).toMatchObject({
      truncated: false,
      messages: [{ seq: 105 }],
    });
    expect(await app.messages.history(alice.id, 'general', 5)).toMatchObject({ truncated: false });
    expect((await app.messages.history(alice.id, 'general', 4)).truncated).toBe(true);
    await expect(app.messages.history(bob.id, 'general')).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('lets only the author edit or delete, once, and keeps the seq of a deleted message', async () => {
    await app.channels.join(bob, 'general');
    const { message } = await send(alice, 'first');
    await expect(
      app.messages.edit(bob, { channel: 'general', id: message.id, text: 'mine now' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const edited = await app.messages.edit(alice, { channel: 'general', id: message.id, text: 'second' });
    expect(edited).toMatchObject({ seq: 1, text: 'second', editedAt: expect.any(String) });
    const deletions = await Promise.allSettled([
      app.messages.delete(alice, { channel: 'general', id: message.id }),
      app.messages.delete(alice, { channel: 'general', id: message.id }),
    ]);
    expect(deletions.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(deletions.find((result) => result.status === 'rejected')).toMatchObject({
      reason: { code: 'NOT_FOUND' },
    });
    expect(await stored()).toEqual([
      expect.objectContaining({ seq: 1, text: '', deletedAt: expect.any(String) }),
    ]);
    // A late retry of the original send answers the tombstone, never the old text.
    const retry = await send(alice, 'first', message.clientId);
    expect(retry).toMatchObject({ duplicate: true, message: { text: '', deletedAt: expect.any(String) } });
  });

  it('counts as mentions only @ and the reader’s name, as the app highlights them', async () => {
    await app.channels.join(bob, 'general');
    for (const text of [
      'hey @BOB', // case and width fold: a mention
      'ping @ｂｏｂ.', // full width, then a full stop: a mention
      'hi @bob-b', // a longer name
      'mail bob@bob.example', // an address
      'hola @bob\u0301', // a combining accent makes another name
      'just bob', // no @
    ])
      await send(alice, text);

    expect(await app.messages.readStates(bob, ['general'])).toEqual([
      { channel: 'general', lastReadSeq: 0, unread: 6, mentions: 2 },
    ]);
  });

  it('counts the history shown on joining as read, and moves read positions forward only', async () => {
    await send(alice, 'before bob');
    await app.channels.join(bob, 'general');
    await send(alice, 'after bob');
    expect(await app.messages.readStates(bob, ['general'])).toEqual([
      { channel: 'general', lastReadSeq: 1, unread: 1, mentions: 0 },
    ]);
    expect(await app.messages.markRead(bob, 'general', 99)).toMatchObject({ lastReadSeq: 2, unread: 0 });
    expect(await app.messages.markRead(bob, 'general', 1)).toMatchObject({ lastReadSeq: 2 });
  });
});
