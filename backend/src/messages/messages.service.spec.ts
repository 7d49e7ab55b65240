import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ChannelsService } from '../channels/channels.service.js';
import { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import { InMemoryReadStateRepository } from './in-memory-read-state.repository.js';
import { MessagesService } from './messages.service.js';
import { testConfig } from '../../test/support/test-config.js';

const alice = { id: 'u-alice', name: 'alice' };
const bob = { id: 'u-bob', name: 'bob' };

describe('MessagesService', () => {
  let channels: ChannelsService;
  let messages: MessagesService;

  beforeEach(async () => {
    channels = new ChannelsService(new InMemoryChannelsRepository(), testConfig());
    messages = new MessagesService(
      new InMemoryMessagesRepository(),
      channels,
      new InMemoryReadStateRepository(),
    );
    await channels.create(alice.id, 'general');
  });

  const send = (author = alice, text = 'hi', clientId = randomUUID()) =>
    messages.send(author, { channel: 'General', text, clientId });

  it('stamps id, seq, author and server time', async () => {
    const { message, duplicate } = await send();
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({ channel: 'general', seq: 1, author: alice, text: 'hi' });
    expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);
    expect((await send()).message.seq).toBe(2);
  });

  it('refuses a non-member without storing anything', async () => {
    await expect(send(bob)).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(await messages.recent('general')).toEqual([]);
    expect((await channels.list())[0].messages).toBe(0);
  });

  it('stores a repeated clientId once, even when both arrive together', async () => {
    const clientId = randomUUID();
    const [a, b] = await Promise.all([send(alice, 'x', clientId), send(alice, 'x', clientId)]);
    expect(a.message).toEqual(b.message);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(await messages.recent('general')).toHaveLength(1);
    expect((await channels.list())[0]).toMatchObject({ messages: 1, lastMessageAt: a.message.createdAt });
  });

  it('keeps the last 100 per channel, and says when a catch-up gap was evicted', async () => {
    for (let i = 1; i <= 105; i++) await send(alice, `m${i}`);
    const recent = await messages.recent('general');
    expect(recent.map((message) => message.text)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i + 6}`));
    expect(await messages.history(alice.id, 'general', 104)).toMatchObject({
      truncated: false,
      messages: [{ seq: 105 }],
    });
    expect(await messages.history(alice.id, 'general', 5)).toMatchObject({ truncated: false });
    expect((await messages.history(alice.id, 'general', 4)).truncated).toBe(true);
    await expect(messages.history(bob.id, 'general')).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('counts as mentions only @ and the reader’s name, as the app highlights them', async () => {
    await channels.join(bob.id, 'general');
    for (const text of [
      'hey @BOB', // case and width fold: a mention
      'ping @ｂｏｂ.', // full width, then a full stop: a mention
      'hi @bob-b', // a longer name
      'mail bob@bob.example', // an address
      'hola @bob\u0301', // a combining accent makes another name
      'just bob', // no @
    ])
      await send(alice, text);

    expect(await messages.readStates(bob, ['general'])).toEqual([
      { channel: 'general', lastReadSeq: 0, unread: 6, mentions: 2 },
    ]);
  });
});
