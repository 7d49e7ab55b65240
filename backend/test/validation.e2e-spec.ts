import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, type AckResponse } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import {
  collect,
  sendMessage,
  settle,
  TestServer,
  uniqueName,
  type ClientSocket,
  type TestUser,
} from './support/test-app.js';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let channel: string;

beforeAll(async () => {
  server = await TestServer.start();
  alice = await server.user(uniqueName('alice'));
  bob = await server.user(uniqueName('bob'));
  channel = uniqueName('checked');
  await alice.call('channel:create', { name: channel });
  await bob.call('channel:join', { channel });
});

afterAll(async () => {
  await server.stop();
});

/** Emits raw arguments (the typed API would not let a test send garbage) and counts the acks. */
function emitRaw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<AckResponse<unknown>[]> {
  return new Promise((resolve) => {
    const answers: AckResponse<unknown>[] = [];
    (socket.emit as (event: string, ...args: unknown[]) => void)(
      event,
      ...args,
      (answer: AckResponse<unknown>) => {
        answers.push(answer);
        // A second ack would arrive within the same round trip; wait for one to be sure there is none.
        void settle(alice).then(() => resolve(answers));
      },
    );
  });
}

const valid = () => ({ channel, text: 'hello', clientId: randomUUID() });

describe('bad payloads are INVALID, answered once, and change nothing', () => {
  it.each<[string, string, unknown[]]>([
    ['send: no payload at all', 'message:send', []],
    ['send: a string payload', 'message:send', ['hello']],
    ['send: a number payload', 'message:send', [42]],
    ['send: null', 'message:send', [null]],
    ['send: an array', 'message:send', [[valid()]]],
    ['send: text missing', 'message:send', [{ channel, clientId: randomUUID() }]],
    ['send: text is a number', 'message:send', [{ ...valid(), text: 5 }]],
    ['send: text is an object', 'message:send', [{ ...valid(), text: { toString: 'x' } }]],
    ['send: empty text', 'message:send', [{ ...valid(), text: '' }]],
    ['send: blank text', 'message:send', [{ ...valid(), text: ' \n\t ' }]],
    [
      'send: text one over the limit',
      'message:send',
      [{ ...valid(), text: 'x'.repeat(LIMITS.messageMaxLength + 1) }],
    ],
    ['send: clientId not a UUID', 'message:send', [{ ...valid(), clientId: 'abc' }]],
    ['send: clientId missing', 'message:send', [{ channel, text: 'hi' }]],
    ['send: an unknown field', 'message:send', [{ ...valid(), author: 'bob' }]],
    ['send: channel is an array', 'message:send', [{ ...valid(), channel: [channel] }]],
    ['create: name missing', 'channel:create', [{}]],
    ['create: name is null', 'channel:create', [{ name: null }]],
    [
      'create: name of 65 characters',
      'channel:create',
      [{ name: 'c'.repeat(LIMITS.channelNameMaxLength + 1) }],
    ],
    ['create: name with a bidi override', 'channel:create', [{ name: 'abc\u202Edef' }]],
    ['create: name with a zero-width space', 'channel:create', [{ name: `${channel}\u200B` }]],
    ['join: channel is a number', 'channel:join', [{ channel: 7 }]],
    ['join: nested object', 'channel:join', [{ channel: { $ne: null } }]],
    ['history: afterSeq is a string', 'channel:history', [{ channel, afterSeq: '3' }]],
    ['history: afterSeq is negative', 'channel:history', [{ channel, afterSeq: -1 }]],
  ])('%s', async (_label, event, args) => {
    const seenByBob = collect(bob.socket, 'message:new');
    const before = await server.get('/api/channels');

    const answers = await emitRaw(alice.socket, event, ...args);

    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ ok: false, error: { code: 'INVALID', message: expect.any(String) } });
    expect(alice.socket.connected).toBe(true);
    await settle(bob);
    expect(seenByBob).toEqual([]);
    expect(await server.get('/api/channels')).toEqual(before);
  });

  it('reports which field is wrong', async () => {
    const [answer] = await emitRaw(alice.socket, 'message:send', { ...valid(), text: '' });
    expect(answer).toMatchObject({ ok: false, error: { details: { text: expect.any(Array) } } });
  });

  it('accepts text of exactly the maximum length', async () => {
    const text = '😀'.repeat(LIMITS.messageMaxLength);
    const message = await sendMessage(alice, { ...valid(), text });
    expect(message.text).toBe(text);
  });

  it('ignores unknown events and keeps the socket', async () => {
    (alice.socket.emit as (event: string, ...args: unknown[]) => void)('admin:drop-tables', {});
    expect(await alice.call('channel:list')).toEqual(expect.any(Array));
    expect(alice.socket.connected).toBe(true);
  });

  it('takes the author from the session, whatever the payload claims', async () => {
    const [answer] = await emitRaw(alice.socket, 'message:send', { ...valid(), author: bob.session.user });
    expect(answer.ok).toBe(false);
    const sent = await sendMessage(alice, valid());
    expect(sent.author).toEqual(alice.session.user);
  });
});
