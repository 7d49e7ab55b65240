import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LIMITS, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { inMemoryServices } from '../../test/support/services.js';
import type { MaybePromise } from '../common/maybe-promise.js';
import type { AppendResult } from './messages.repository.js';

const alice = { id: 'u-alice', name: 'alice' };
const bob = { id: 'u-bob', name: 'bob' };

describe('MessagesService', () => {
  let app: ReturnType<typeof inMemoryServices>;

  beforeEach(async () => {
    app = inMemoryServices();
    await app.channels.create(alice, 'general');
  });
  afterEach(() => app.stop());

  /** A send answered with its message: a new one, or a retry of one still in the history. */
  const withMessage = async (sending: MaybePromise<AppendResult>) => {
    const result = await sending;
    if (!result.message) throw new Error('answered with a receipt only');
    return { ...result, message: result.message };
  };
  const send = (author = alice, text = 'hi', clientId: string = randomUUID(), channel = 'General') =>
    withMessage(app.messages.send(author, { channel, text, clientId }));
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

  it('refuses a send in the words ChannelsService refuses anything else, whatever the send carries', async () => {
    const carol = { id: 'u-carol', name: 'carol' };
    // Alice and Bob's direct conversation, as openDm stores it.
    const dm = { id: 'dm:ab', name: 'alice, bob', skeleton: 'dm:ab', createdAt: '', createdBy: '' };
    await app.repositories.channels.insertUnlessTaken({
      ...dm,
      messageCount: 0,
      lastMessageAt: null,
      dm: [alice, bob],
    });
    for (const person of [alice, bob]) await app.repositories.channels.addMember(dm.id, person.id);
    const original = (await send()).message;
    const refusalOf = (promise: MaybePromise<unknown>) =>
      Promise.resolve(promise).then(
        () => 'sent',
        (error: unknown) => error,
      );
    for (const [channel, who] of [
      ['general', bob],
      ['nowhere', alice],
      [dm.id, carol],
    ] as const) {
      const expected = await refusalOf(app.channels.requireMembership(who.id, channel));
      expect(expected).toMatchObject({ code: expect.stringMatching(/^(NOT_A_MEMBER|NOT_FOUND)$/) });
      for (const extra of [{}, { replyTo: original.id }]) {
        const payload = { channel, text: 'hi', clientId: randomUUID(), ...extra };
        expect(await refusalOf(app.messages.send(who, payload))).toEqual(expected);
      }
    }
    expect(await stored()).toEqual([original]);
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

  it('answers a retry whose message left the history with its receipt, only to its author', async () => {
    await app.channels.join(bob, 'general');
    const { message: original } = await send(alice, 'the plan');
    const replyTo = original.id;
    const reply = { channel: 'general', text: 're', clientId: randomUUID(), replyTo };
    const { message: answer } = await withMessage(app.messages.send(alice, reply));
    for (let i = 0; i < LIMITS.historySize; i++) await send(bob, `m${i}`);
    const before = await stored();
    const receiptOf = ({ id, seq, createdAt }: Message) => ({ id, seq, createdAt, authorId: alice.id });

    const retry = { channel: 'general', text: 'the plan', clientId: original.clientId };
    expect(await app.messages.send(alice, retry)).toEqual({ duplicate: true, sent: receiptOf(original) });
    // The reply's original is gone too: answered from the window all the same (storedRetryOr).
    expect(await app.messages.send(alice, reply)).toEqual({ duplicate: true, sent: receiptOf(answer) });
    await expect(app.messages.send(bob, retry)).rejects.toMatchObject({ code: 'INVALID' });
    await expect(app.messages.send(bob, reply)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await stored()).toEqual(before);
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
  describe('reactions', () => {
    const react = (user: { id: string; name: string }, id: string, emoji = '👍', channel = 'General') =>
      app.messages.react(user, { channel, id, emoji }, true);
    const unreact = (user: { id: string; name: string }, id: string, emoji = '👍') =>
      app.messages.react(user, { channel: 'general', id, emoji }, false);

    it('lists people under the session user, in the order they reacted, and counts each change', async () => {
      await app.channels.join(bob, 'general');
      const { message } = await send();
      expect(await react(bob, message.id)).toEqual({
        changed: true,
        message: { ...message, revision: 1, reactions: [{ emoji: '👍', users: [bob] }] },
      });
      const { message: both } = await react(alice, message.id);
      expect(both).toMatchObject({ revision: 2, reactions: [{ emoji: '👍', users: [bob, alice] }] });
      expect((await stored())[0]).toEqual(both);
    });

    it('changes nothing, and is no error, for a second reaction or taking back one never made', async () => {
      const { message } = await send();
      const { message: once } = await react(alice, message.id);
      expect(await react(alice, message.id)).toEqual({ changed: false, message: once });
      expect(await unreact(alice, message.id, '🎉')).toEqual({ changed: false, message: once });
      expect(await unreact(alice, message.id)).toMatchObject({ changed: true, message: { revision: 2 } });
      expect((await stored())[0]).not.toHaveProperty('reactions');
    });

    it('refuses non-members, deleted messages and a 21st emoji in words, changing nothing', async () => {
      const { message } = await send();
      await expect(react(bob, message.id)).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
      for (let i = 0; i < 20; i++) await react(alice, message.id, String.fromCodePoint(0x1f600 + i));
      const full = (await stored())[0];
      await expect(react(alice, message.id, '🎉')).rejects.toMatchObject({
        code: 'INVALID',
        message: 'A message can have at most 20 different reactions. Add one of those already there.',
      });
      expect((await stored())[0]).toEqual(full);

      await app.messages.delete(alice, { channel: 'general', id: message.id });
      await expect(react(alice, message.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'That message is no longer in the history (it may have been deleted).',
      });
    });

    it('drops reactions on deletion, and counts edits and deletion as revisions too', async () => {
      const { message } = await send();
      await react(alice, message.id);
      const edited = await app.messages.edit(alice, { channel: 'general', id: message.id, text: 'better' });
      expect(edited).toMatchObject({ revision: 2, text: 'better', reactions: [{ emoji: '👍' }] });
      const { tombstone } = await app.messages.delete(alice, { channel: 'general', id: message.id });
      expect(tombstone).toMatchObject({ revision: 3, text: '' });
      expect(tombstone).not.toHaveProperty('reactions');
      expect((await stored())[0]).toEqual(tombstone);
    });

    it('keeps the reactions of many people reacting at once, and an edit made meanwhile', async () => {
      const crowd = Array.from({ length: 20 }, (_, i) => ({ id: `u-${i}`, name: `p${i}` }));
      for (const person of crowd) await app.channels.join(person, 'general');
      const { message } = await send();
      await Promise.all([
        ...crowd.map((person) => react(person, message.id)),
        app.messages.edit(alice, { channel: 'general', id: message.id, text: 'edited' }),
      ]);
      const [after] = await stored();
      expect(after).toMatchObject({ text: 'edited', revision: 21 });
      expect(after!.reactions![0]!.users).toHaveLength(20);
    });
  });

  describe('replies', () => {
    it('quotes the original’s author and first line, cut to 100 characters', async () => {
      await app.channels.join(bob, 'general');
      const { message: original } = await send(alice, `\n  ${'long '.repeat(30)}\nsecond line`);
      const { message: reply } = await withMessage(
        app.messages.send(bob, {
          channel: 'general',
          text: 'agreed',
          clientId: randomUUID(),
          replyTo: original.id,
        }),
      );
      expect(reply.replyTo).toEqual({
        id: original.id,
        seq: original.seq,
        author: alice,
        excerpt: `${'long '.repeat(19)}long…`,
      });
      expect((await stored())[1]).toEqual(reply);
    });

    it('refuses a reply to a message that is not in this channel’s history, storing nothing', async () => {
      await app.channels.create(alice, 'random');
      const { message: elsewhere } = await send(alice, 'in random', randomUUID(), 'random');
      const { message: doomed } = await send(alice, 'oops');
      await app.messages.delete(alice, { channel: 'general', id: doomed.id });
      const { message: old } = await send(alice, 'old');
      for (let i = 0; i < 100; i++) await send(alice, `m${i}`);
      const before = await stored();
      const reply = (replyTo: string) =>
        app.messages.send(alice, { channel: 'general', text: 're', clientId: randomUUID(), replyTo });
      const gone = {
        code: 'NOT_FOUND',
        message: 'The message you are replying to is no longer in the history.',
      };
      await expect(reply(elsewhere.id)).rejects.toMatchObject(gone);
      await expect(reply(old.id)).rejects.toMatchObject(gone);
      await expect(reply(randomUUID())).rejects.toMatchObject(gone);
      expect(await stored()).toEqual(before);
    });

    it('takes a deleted message’s words out of the replies that quoted it', async () => {
      await app.channels.join(bob, 'general');
      const { message: original } = await send(alice, 'my secret plan');
      const replyTo = original.id;
      const { message: first } = await withMessage(
        app.messages.send(bob, { channel: 'general', text: 'no!', clientId: randomUUID(), replyTo }),
      );
      await send(alice, 'unrelated');
      const { message: second } = await withMessage(
        app.messages.send(alice, { channel: 'general', text: 'yes', clientId: randomUUID(), replyTo }),
      );
      const { unquoted } = await app.messages.delete(alice, { channel: 'general', id: original.id });
      const gone = { id: original.id, seq: original.seq, author: alice, excerpt: '', deleted: true };
      expect(unquoted).toEqual([
        { ...first, replyTo: gone, revision: 1 },
        { ...second, replyTo: gone, revision: 1 },
      ]);
      expect(JSON.stringify(await stored())).not.toContain('secret');
    });

    it('refuses a reply to a deleted message', async () => {
      const { message } = await send(alice, 'oops');
      await app.messages.delete(alice, { channel: 'general', id: message.id });
      await expect(
        app.messages.send(alice, {
          channel: 'general',
          text: 're',
          clientId: randomUUID(),
          replyTo: message.id,
        }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'The message you are replying to was deleted.' });
      expect(await stored()).toHaveLength(1);
    });
  });

  it('tells other features of a deletion, with the message as it was', async () => {
    const deleted: unknown[] = [];
    app.events.on('message.deleted', ({ message }) => void deleted.push(message));
    const { message } = await send(alice, 'bye');
    await app.messages.delete(alice, { channel: 'general', id: message.id });
    expect(deleted).toEqual([message]);
  });
});
