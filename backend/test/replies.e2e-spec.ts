// Replies: a message that answers another one of the same channel carries a quote of it (author and
// first line), taken by the server when the reply is sent.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, replyExcerpt, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import {
  collect,
  connected,
  next,
  send,
  sendMessage,
  settle,
  TestServer,
  TestUser,
  twoInAChannel,
  uniqueName,
} from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

const reply = (user: TestUser, channel: string, replyTo: string, text = 'agreed') =>
  sendMessage(user, { channel, text, clientId: randomUUID(), replyTo });

describe('replies', () => {
  it('quote the original’s author and first line, for both people and both tabs', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const aliceTab = new TestUser(alice.session, await connected(server.socket(alice.session.token)));
    const original = await send(alice, channel, '\n  Shall we ship on Friday?  \nI think we can.');
    await settle(aliceTab, bob);
    const seen = [alice, aliceTab, bob].map((user) => next(user.socket, 'message:new'));

    const answer = await reply(bob, channel, original.id, 'Yes, Friday');

    expect(answer).toMatchObject({
      text: 'Yes, Friday',
      author: bob.session.user,
      replyTo: {
        id: original.id,
        seq: original.seq,
        author: alice.session.user,
        excerpt: 'Shall we ship on Friday?',
      },
    });
    expect(await Promise.all(seen)).toEqual([answer, answer, answer]);
    const { messages } = await aliceTab.call('channel:history', { channel });
    expect(messages.at(-1)).toEqual(answer);
  });

  it('cut a long first line as the app’s reply bar does', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const text = `${'🇫🇷 très bien '.repeat(20)}\nmore`;
    const original = await send(alice, channel, text);
    const answer = await reply(bob, channel, original.id);
    expect(answer.replyTo?.excerpt).toBe(replyExcerpt(text));
    expect([...new Intl.Segmenter().segment(answer.replyTo!.excerpt)]).toHaveLength(
      LIMITS.replyExcerptLength,
    );
  });

  it('keep their quote when the original leaves the history, and a retry answers the same reply', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const original = await send(alice, channel, 'the plan');
    const clientId = randomUUID();
    const answer = await sendMessage(bob, { channel, text: 're', clientId, replyTo: original.id });
    for (let i = 0; i < LIMITS.historySize - 1; i++) await send(alice, channel, `m${i}`);

    const { messages } = await bob.call('channel:history', { channel });
    expect(messages.map((message) => message.id)).not.toContain(original.id);
    expect(messages[0]).toEqual(answer);
    // The app's outbox resends the very same payload, replyTo included.
    expect(await sendMessage(bob, { channel, text: 're', clientId, replyTo: original.id })).toEqual(answer);
  });

  it('lose the words of an original its author deletes, live for everyone', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const original = await send(alice, channel, 'my password is hunter2');
    const answer = await reply(bob, channel, original.id, 'you should not post that');
    await settle(alice, bob);
    const updates = collect(bob.socket, 'message:updated');

    const tombstone = await alice.call('message:delete', { channel, id: original.id });
    await settle(alice, bob);

    const unquoted: Message = {
      ...answer,
      revision: 1,
      replyTo: { id: original.id, seq: original.seq, author: alice.session.user, excerpt: '', deleted: true },
    };
    expect(updates).toEqual([tombstone, unquoted]);
    const { messages } = await bob.call('channel:history', { channel });
    expect(messages).toEqual([tombstone, unquoted]);
    expect(JSON.stringify(messages)).not.toContain('hunter2');
  });

  describe('to a message that cannot be answered get a typed error in words, and store nothing', () => {
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    let channel: string;
    let elsewhere: Message;
    let deleted: Message;
    let evicted: Message;

    beforeAll(async () => {
      ({ alice, bob, channel } = await twoInAChannel(server));
      outsider = await server.user(uniqueName('outsider'));
      const other = (await outsider.call('channel:create', { name: uniqueName('other') })).channel.id;
      await alice.call('channel:join', { channel: other });
      elsewhere = await send(alice, other, 'in the other channel');
      evicted = await send(alice, channel, 'soon gone');
      for (let i = 0; i < LIMITS.historySize; i++) await send(alice, channel, `filler ${i}`);
      deleted = await send(alice, channel, 'regrettable');
      await alice.call('message:delete', { channel, id: deleted.id });
    });

    const noLonger = {
      code: 'NOT_FOUND',
      message: 'The message you are replying to is no longer in the history.',
    };
    const cases: [string, () => [TestUser, string], object][] = [
      ['a message of another channel', () => [bob, elsewhere.id], noLonger],
      ['a message out of the history', () => [bob, evicted.id], noLonger],
      ['no message at all', () => [bob, randomUUID()], noLonger],
      [
        'a deleted message',
        () => [bob, deleted.id],
        { code: 'NOT_FOUND', message: 'The message you are replying to was deleted.' },
      ],
      [
        'an id that is no UUID',
        () => [bob, 'first'],
        { code: 'INVALID', message: 'Say which message this one replies to: its id is a UUID.' },
      ],
      ['a channel one is not in', () => [outsider, deleted.id], { code: 'NOT_A_MEMBER' }],
    ];

    it.each(cases)('%s', async (_name, make, error) => {
      const [who, replyTo] = make();
      const before = (await alice.call('channel:history', { channel })).messages;
      const news = collect(alice.socket, 'message:new');

      expect(
        await who.fail('message:send', { channel, text: 're', clientId: randomUUID(), replyTo }),
      ).toEqual(expect.objectContaining(error));

      await settle(alice, who);
      expect(news).toEqual([]);
      expect((await alice.call('channel:history', { channel })).messages).toEqual(before);
    });
  });
});
