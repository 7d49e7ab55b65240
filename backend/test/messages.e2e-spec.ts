// Messages between the members of a channel: live delivery, the kept history, retries, catching up.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { MessagesService } from '../src/messages/messages.service.js';
import {
  collect,
  connected,
  next,
  send,
  settle,
  TestServer,
  TestUser,
  uniqueName,
} from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('messages between members', () => {
  it('delivers a message live to every member, with the author and a server timestamp', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('Lobby');

    const announced = next(bob.socket, 'channel:created');
    const created = await alice.call('channel:create', { name });
    expect(created.channel).toMatchObject({ name, id: name.toLowerCase(), members: 1, messages: 0 });
    expect(await announced).toMatchObject({ name });

    const joined = await bob.call('channel:join', { channel: name });
    expect(joined.channel.members).toBe(2);

    const bobReceives = next(bob.socket, 'message:new');
    const before = Date.now();
    const sent = await send(alice, name, 'hello bob');
    const received = await bobReceives;
    expect(received).toEqual(sent);
    expect(sent.author).toEqual(alice.session.user);
    expect(sent.text).toBe('hello bob');
    expect(sent.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(sent.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const aliceReceives = next(alice.socket, 'message:new');
    const reply = await send(bob, name.toUpperCase(), 'hi alice');
    expect(await aliceReceives).toEqual(reply);
    expect(reply.author.name).toBe(bob.session.user.name);
  });

  it('acknowledges a send with its id, seq and time only; every tab, the sender’s too, gets the message', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const { channel } = await alice.call('channel:create', { name: uniqueName('slim') });
    await bob.call('channel:join', { channel: channel.id });
    const aliceTab = new TestUser(alice.session, await connected(server.socket(alice.session.token)));
    const seen = [alice, aliceTab, bob].map((user) => next(user.socket, 'message:new'));
    const payload = { channel: channel.id, text: 'short answer', clientId: randomUUID() };

    const ack = await alice.call('message:send', payload);

    const [atAlice, atHerTab, atBob] = await Promise.all(seen);
    expect(Object.keys(ack).sort()).toEqual(['createdAt', 'id', 'seq']);
    expect(atAlice).toEqual({
      ...ack,
      channel: channel.id,
      author: alice.session.user,
      text: 'short answer',
      clientId: payload.clientId,
    });
    expect(atHerTab).toEqual(atAlice);
    expect(atBob).toEqual(atAlice);
    // A retry (the outbox after a lost ack) is answered the same three fields.
    expect(await alice.call('message:send', payload)).toEqual(ack);
    aliceTab.socket.disconnect();
  });

  it('never delivers a channel message to someone who has not joined it', async () => {
    const alice = await server.user(uniqueName('alice'));
    const eve = await server.user(uniqueName('eve'));
    const name = uniqueName('secret');
    await alice.call('channel:create', { name });
    const seenByEve = collect(eve.socket, 'message:new');

    await send(alice, name, 'members only');
    await settle(eve);
    expect(seenByEve).toEqual([]);
    expect(
      await eve.fail('message:send', { channel: name, text: 'let me in', clientId: randomUUID() }),
    ).toMatchObject({ code: 'NOT_A_MEMBER' });
    expect(await eve.fail('channel:history', { channel: name })).toMatchObject({ code: 'NOT_A_MEMBER' });
  });

  it('keeps exactly the 100 most recent messages of 105, in order', async () => {
    const alice = await server.user(uniqueName('alice'));
    const name = uniqueName('busy');
    await alice.call('channel:create', { name });
    for (let i = 1; i <= 105; i++) await send(alice, name, `message ${i}`);

    const bob = await server.user(uniqueName('bob'));
    const { messages } = await bob.call('channel:join', { channel: name });
    expect(messages).toHaveLength(LIMITS.historySize);
    expect(messages[0].text).toBe('message 6');
    expect(messages.at(-1)?.text).toBe('message 105');
    expect(messages.map((message) => message.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 6));
  });
});

describe('retries', () => {
  it('stores a retried clientId once and acknowledges the retry with the stored message', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('retry');
    await alice.call('channel:create', { name });
    await bob.call('channel:join', { channel: name });
    const seenByBob = collect(bob.socket, 'message:new');

    const clientId = randomUUID();
    const [first, second] = await Promise.all([
      send(alice, name, 'once', clientId),
      send(alice, name, 'once', clientId),
    ]);
    const third = await send(alice, name, 'once', clientId);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    await settle(bob);
    // Each send is broadcast (see the next test); every copy is the one stored message, which an
    // app that merges by seq shows once.
    expect(seenByBob.length).toBeGreaterThanOrEqual(1);
    expect(new Set(seenByBob.map((message) => JSON.stringify(message)))).toEqual(
      new Set([JSON.stringify(first)]),
    );
    expect((await bob.call('channel:history', { channel: name })).messages).toEqual([first]);
  });

  it('delivers a message live when its first send was stored but never broadcast (the instance died)', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('lostcast');
    const { channel } = await alice.call('channel:create', { name });
    await bob.call('channel:join', { channel: channel.id });
    const clientId = randomUUID();
    // Stored as the send handler stores it, then nothing: no broadcast, no ack.
    const { message: stored } = await server.app
      .get(MessagesService)
      .send(alice.session.user, { channel: channel.id, text: 'stored, then silence', clientId });
    const atBob = next(bob.socket, 'message:new');
    // The sender's retry, as the outbox sends it after the ack timed out.
    const retried = await send(alice, channel.id, 'stored, then silence', clientId);
    expect(retried).toEqual(stored);
    expect(await atBob).toEqual(stored);
  });

  it('acknowledges a retry of a send older than the history as its first send, and broadcasts it no more', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const { channel } = await alice.call('channel:create', { name: uniqueName('longago') });
    await bob.call('channel:join', { channel: channel.id });
    const old = { channel: channel.id, text: 'long ago', clientId: randomUUID() };
    const oldAck = await alice.call('message:send', old);
    for (let i = 0; i < LIMITS.historySize - 1; i++) await send(alice, channel.id, `m${i}`);
    const recent = await send(alice, channel.id, 'just now');
    const { messages: before } = await bob.call('channel:history', { channel: channel.id });
    expect(before.map((message) => message.id)).not.toContain(oldAck.id);
    const heard = [alice, bob].map((user) => collect(user.socket, 'message:new'));

    // The outbox's resend after a lost ack: the same three fields, and nobody is shown a message
    // older than the history again. A retry within the history is (as above), for contrast.
    expect(await alice.call('message:send', old)).toEqual(oldAck);
    const recentAck = await alice.call('message:send', {
      channel: channel.id,
      text: 'just now',
      clientId: recent.clientId,
    });
    expect(recentAck).toEqual({ id: recent.id, seq: recent.seq, createdAt: recent.createdAt });
    await settle(alice, bob);
    expect(heard).toEqual([[recent], [recent]]);
    expect((await bob.call('channel:history', { channel: channel.id })).messages).toEqual(before);
  });

  it('does not pass one author’s message off as another’s retry: a clientId in use is refused', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const name = uniqueName('ids');
    await alice.call('channel:create', { name });
    await bob.call('channel:join', { channel: name });
    const clientId = randomUUID();
    const fromAlice = await send(alice, name, 'from alice', clientId);
    const refused = await bob.fail('message:send', { channel: name, text: 'from bob', clientId });
    expect(refused).toMatchObject({ code: 'INVALID', message: expect.stringContaining('clientId') });
    expect((await bob.call('channel:history', { channel: name })).messages).toEqual([fromAlice]);
    // With a clientId of its own, the same text goes through.
    expect((await send(bob, name, 'from bob')).author.id).toBe(bob.id);
  });
});

describe('history after a sequence number', () => {
  it('returns only what came after, or everything kept with truncated=true when the gap was evicted', async () => {
    const alice = await server.user(uniqueName('alice'));
    const name = uniqueName('gaps');
    await alice.call('channel:create', { name });
    const sent: Message[] = [];
    for (let i = 1; i <= 5; i++) sent.push(await send(alice, name, `m${i}`));

    const after3 = await alice.call('channel:history', { channel: name, afterSeq: 3 });
    expect(after3).toEqual({ messages: sent.slice(3), truncated: false });
    expect(await alice.call('channel:history', { channel: name, afterSeq: 5 })).toEqual({
      messages: [],
      truncated: false,
    });

    for (let i = 6; i <= 110; i++) await send(alice, name, `m${i}`);
    const afterEvicted = await alice.call('channel:history', { channel: name, afterSeq: 2 });
    expect(afterEvicted.truncated).toBe(true);
    expect(afterEvicted.messages).toHaveLength(100);
    expect(afterEvicted.messages[0].text).toBe('m11');
  });
});
