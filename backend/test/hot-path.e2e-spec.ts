import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  CLIENT_EVENTS,
  type AckResponse,
  type ClientToServerEvents,
  type Message,
  type ServerToClientEvents,
} from '@flack/contract';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../src/app.factory.js';
import type { EnvOverrides } from '../src/app.module.js';
import { LIFTED_RATE_LIMITS } from './support/test-app.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One server, with every event on its hot path (HotPaths) or through Nest's pipeline. */
async function start(hotPaths: boolean, overrides: EnvOverrides) {
  const app: INestApplication = await createApp(
    { LOG_LEVEL: 'silent', ...LIFTED_RATE_LIMITS, ...overrides },
    { hotPaths },
  );
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const sockets: ClientSocket[] = [];
  const user = async (name: string) => {
    const response = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    const { token } = (await response.json()) as { token: string };
    const socket: ClientSocket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) =>
      socket.once('connect', () => resolve()).once('connect_error', reject),
    );
    return socket;
  };
  const stop = async () => {
    for (const socket of sockets) socket.disconnect();
    await app.close();
  };
  return { user, stop };
}

/** Arrays in arrays, `depth` levels: deep enough to overflow a recursive walk of the payload. */
function nested(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

/** Emits an event with raw arguments (whatever a hostile client may send) and waits for the ack. */
function emitRaw(socket: ClientSocket, event: string, args: unknown[]): Promise<AckResponse<unknown>> {
  const raw = socket.timeout(5000) as unknown as {
    emitWithAck(event: string, ...args: unknown[]): Promise<never>;
  };
  return raw.emitWithAck(event, ...args);
}

/**
 * An ack with what differs between two servers by design (ids, times, retry delays) taken out. A
 * direct conversation lists its two people in the order of their ids, which are random: by name.
 */
function comparable(response: AckResponse<unknown>): unknown {
  const byName = (key: string, value: unknown) => {
    const dm = (value as { dm?: { name: string }[] } | null)?.dm;
    if (!Array.isArray(dm)) return value;
    const people = [...dm].sort((a, b) => a.name.localeCompare(b.name));
    return { ...(value as object), dm: people, name: people.map((person) => person.name).join(', ') };
  };
  return JSON.parse(
    JSON.stringify(response)
      .replace(/"(id|clientId|createdAt)":"[^"]*"/g, '"$1":"…"')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '…')
      .replace(/dm:[0-9a-f]{64}/g, 'dm:…')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '…')
      .replace(/"retryAfterMs":\d+/g, '"retryAfterMs":"…"')
      .replace(/Try again in \d+ s/g, 'Try again in … s'),
    byName,
  );
}

const CLIENT_ID = randomUUID();
const thumbs = '👍🏽';
/** The first message of the run and one in a channel alice is not in, on the server being asked. */
const stored = { first: '', elsewhere: '' };
/** Every kind of payload `message:send` gets: good, bad, hostile. The same table runs through both paths. */
const PAYLOADS: [string, () => unknown[]][] = [
  ['a message', () => [{ channel: 'parity', text: 'hello', clientId: CLIENT_ID }]],
  ['its retry', () => [{ channel: 'parity', text: 'hello', clientId: CLIENT_ID }]],
  [
    '1,001 thumbs with a skin tone',
    () => [{ channel: 'parity', text: thumbs.repeat(1001), clientId: randomUUID() }],
  ],
  ['2,000 family emoji', () => [{ channel: 'parity', text: '👩‍👩‍👧‍👦'.repeat(2000), clientId: randomUUID() }]],
  ['2,001 flags', () => [{ channel: 'parity', text: '🇫🇷'.repeat(2001), clientId: randomUUID() }]],
  ['blank text', () => [{ channel: 'parity', text: ' \n ', clientId: randomUUID() }]],
  ['no text', () => [{ channel: 'parity', clientId: randomUUID() }]],
  ['a number for text', () => [{ channel: 'parity', text: 42, clientId: randomUUID() }]],
  ['an object for text', () => [{ channel: 'parity', text: { $gt: '' }, clientId: randomUUID() }]],
  ['no clientId', () => [{ channel: 'parity', text: 'x' }]],
  ['a clientId that is no UUID', () => [{ channel: 'parity', text: 'x', clientId: 'abc' }]],
  ['an unknown field', () => [{ channel: 'parity', text: 'x', clientId: randomUUID(), admin: true }]],
  [
    '__proto__',
    () => [JSON.parse(`{"channel":"parity","text":"x","clientId":"${randomUUID()}","__proto__":{"a":1}}`)],
  ],
  ['a reply', () => [{ channel: 'parity', text: 're', clientId: randomUUID(), replyTo: stored.first }]],
  [
    'a reply to no message',
    () => [{ channel: 'parity', text: 're', clientId: randomUUID(), replyTo: randomUUID() }],
  ],
  [
    'a reply to another channel’s message',
    () => [{ channel: 'parity', text: 're', clientId: randomUUID(), replyTo: stored.elsewhere }],
  ],
  [
    'a replyTo that is no UUID',
    () => [{ channel: 'parity', text: 're', clientId: randomUUID(), replyTo: 'x' }],
  ],
  ['a null replyTo', () => [{ channel: 'parity', text: 'null', clientId: randomUUID(), replyTo: null }]],
  // Files: not flat, so the lean check hands them to the full pipe on both paths (files/dto/).
  [
    'a file nobody uploaded',
    () => [{ channel: 'parity', text: '', clientId: randomUUID(), files: [randomUUID()] }],
  ],
  ['no text and no files', () => [{ channel: 'parity', text: '', clientId: randomUUID(), files: [] }]],
  [
    'eleven files',
    () => [
      { channel: 'parity', text: 'x', clientId: randomUUID(), files: Array.from({ length: 11 }, randomUUID) },
    ],
  ],
  [
    'one file twice',
    () => [{ channel: 'parity', text: 'x', clientId: randomUUID(), files: [CLIENT_ID, CLIENT_ID] }],
  ],
  ['files that are no list', () => [{ channel: 'parity', text: 'x', clientId: randomUUID(), files: 'x' }]],
  ['a null files', () => [{ channel: 'parity', text: 'no files', clientId: randomUUID(), files: null }]],
  ['no such channel', () => [{ channel: 'nowhere', text: 'x', clientId: randomUUID() }]],
  ['a channel not joined', () => [{ channel: 'elsewhere', text: 'x', clientId: randomUUID() }]],
  ['300 nested arrays', () => [nested(300)]],
  ['text nested 300 deep', () => [{ channel: 'parity', text: nested(300), clientId: randomUUID() }]],
  ['5,000 keys', () => [Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))]],
  ['a string payload', () => ['hello']],
  ['a null payload', () => [null]],
  ['an array payload', () => [[1, 2]]],
  ['no payload', () => []],
];

/**
 * The answers to a table on both servers, hot path first: each has alice in `parity` and bob in
 * `elsewhere`, then `run` emits the table's rows as alice and answers them, made comparable.
 */
async function answersOnBothPaths(
  run: (
    alice: ClientSocket,
    bob: ClientSocket,
    user: (name: string) => Promise<ClientSocket>,
  ) => Promise<unknown[]>,
): Promise<Map<boolean, unknown[]>> {
  const answers = new Map<boolean, unknown[]>();
  for (const hotPaths of [true, false]) {
    const server = await start(hotPaths, {});
    try {
      const alice = await server.user('alice');
      const bob = await server.user('bob');
      await emitRaw(alice, 'channel:create', [{ name: 'parity' }]);
      await emitRaw(bob, 'channel:create', [{ name: 'elsewhere' }]);
      answers.set(
        hotPaths,
        (await run(alice, bob, server.user)).map((response) => comparable(response as AckResponse<unknown>)),
      );
    } finally {
      await server.stop();
    }
  }
  return answers;
}

/** Reactions are hot too: the same kind of table, as [event, payload] rows on one message. */
const target = { id: '', deleted: '' };
const REACTIONS: [string, () => [string, unknown[]]][] = [
  ['a reaction', () => ['message:react', [{ channel: 'parity', id: target.id, emoji: thumbs }]]],
  ['the same again', () => ['message:react', [{ channel: 'parity', id: target.id, emoji: thumbs }]]],
  ['another emoji', () => ['message:react', [{ channel: 'parity', id: target.id, emoji: '🇫🇷' }]]],
  ['taken back', () => ['message:unreact', [{ channel: 'parity', id: target.id, emoji: thumbs }]]],
  ['taken back again', () => ['message:unreact', [{ channel: 'parity', id: target.id, emoji: thumbs }]]],
  ['a word for an emoji', () => ['message:react', [{ channel: 'parity', id: target.id, emoji: 'ok' }]]],
  ['two emoji', () => ['message:react', [{ channel: 'parity', id: target.id, emoji: '👍👍' }]]],
  ['no emoji', () => ['message:unreact', [{ channel: 'parity', id: target.id }]]],
  ['an id that is no UUID', () => ['message:react', [{ channel: 'parity', id: 'x', emoji: thumbs }]]],
  ['no such message', () => ['message:react', [{ channel: 'parity', id: randomUUID(), emoji: thumbs }]]],
  ['a deleted message', () => ['message:react', [{ channel: 'parity', id: target.deleted, emoji: thumbs }]]],
  [
    'a user in the payload',
    () => [
      'message:react',
      [{ channel: 'parity', id: target.id, emoji: thumbs, user: { id: 'x', name: 'x' } }],
    ],
  ],
  ['a channel not joined', () => ['message:react', [{ channel: 'elsewhere', id: target.id, emoji: thumbs }]]],
  ['300 nested arrays', () => ['message:react', [nested(300)]]],
  ['a string payload', () => ['message:unreact', ['👍']]],
  ['no payload', () => ['message:react', []]],
];

describe('reactions on the hot path answer exactly as through Nest’s pipeline', () => {
  let answers = new Map<boolean, unknown[]>();

  beforeAll(async () => {
    answers = await answersOnBothPaths(async (alice) => {
      const sent = async (text: string) =>
        (
          (await emitRaw(alice, 'message:send', [{ channel: 'parity', text, clientId: randomUUID() }])) as {
            data: { id: string };
          }
        ).data.id;
      target.id = await sent('react to me');
      target.deleted = await sent('gone');
      await emitRaw(alice, 'message:delete', [{ channel: 'parity', id: target.deleted }]);
      const list: AckResponse<unknown>[] = [];
      for (const [, row] of REACTIONS) {
        const [event, payload] = row();
        list.push(await emitRaw(alice, event, payload));
      }
      return list;
    });
  });

  it.each(REACTIONS.map(([name], index) => [name, index] as const))('%s', (_name, index) => {
    expect(answers.get(true)?.[index]).toEqual(answers.get(false)?.[index]);
  });

  it('answers with the message as reacted to, and refuses what is not an emoji in words', () => {
    const hot = answers.get(true)!;
    const row = (name: string) => hot[REACTIONS.findIndex(([row]) => row === name)];
    expect(row('the same again')).toMatchObject({
      ok: true,
      data: { revision: 1, reactions: [{ emoji: thumbs }] },
    });
    expect(row('taken back again')).toMatchObject({
      ok: true,
      data: { revision: 3, reactions: [{ emoji: '🇫🇷' }] },
    });
    expect(row('two emoji')).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'That is not an emoji Flack knows.' },
    });
    expect(row('a deleted message')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('the hot path answers exactly as Nest’s pipeline', () => {
  let answers = new Map<boolean, unknown[]>();

  beforeAll(async () => {
    answers = await answersOnBothPaths(async (alice, bob) => {
      const there = await emitRaw(bob, 'message:send', [
        { channel: 'elsewhere', text: 'x', clientId: randomUUID() },
      ]);
      stored.elsewhere = (there as { data: { id: string } }).data.id;
      // What alice's socket receives of each stored message (the ack names it by id): on one server,
      // the broadcast is written before the ack, so it is here once the ack is.
      const delivered = new Map<string, Message>();
      alice.on('message:new', (message) => delivered.set(message.id, message));
      const list: (AckResponse<unknown> & { message?: Message })[] = [];
      for (const [, payload] of PAYLOADS) {
        const answer = await emitRaw(alice, 'message:send', payload());
        const id = answer.ok ? (answer.data as { id: string }).id : undefined;
        if (list.length === 0) stored.first = id!;
        list.push(id === undefined ? answer : { ...answer, message: delivered.get(id) });
      }
      return list;
    });
  });

  it.each(PAYLOADS.map(([name], index) => [name, index] as const))('%s', (_name, index) => {
    expect(answers.get(true)?.[index]).toEqual(answers.get(false)?.[index]);
  });

  it('acknowledges a message with its id, seq and time, and delivers the whole of it to the sender', () => {
    const hot = answers.get(true)!;
    const message = { id: '…', seq: 1, createdAt: '…' };
    expect(hot[0]).toEqual({
      ok: true,
      data: message,
      message: { ...message, channel: 'parity', author: expect.anything(), text: 'hello', clientId: '…' },
    });
    expect(hot[1]).toEqual(hot[0]);
  });

  it('accepts what a person counts as 2,000 characters, and refuses more in words', () => {
    const hot = answers.get(true)!;
    expect(hot[2]).toMatchObject({ ok: true, message: { text: thumbs.repeat(1001) } });
    expect(hot[3]).toMatchObject({ ok: true });
    expect(hot[4]).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'A message can be at most 2,000 characters.' },
    });
    expect(hot[5]).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'A message cannot be empty.' },
    });
  });

  it('quotes the original in a reply, and refuses one to a message not in the channel in words', () => {
    const hot = answers.get(true)!;
    const row = (name: string) => hot[PAYLOADS.findIndex(([row]) => row === name)];
    expect(row('a reply')).toMatchObject({ ok: true, message: { replyTo: { seq: 1, excerpt: 'hello' } } });
    const gone = {
      code: 'NOT_FOUND',
      message: 'The message you are replying to is no longer in the history.',
    };
    expect(row('a reply to no message')).toMatchObject({ ok: false, error: gone });
    expect(row('a reply to another channel’s message')).toMatchObject({ ok: false, error: gone });
    expect(row('a replyTo that is no UUID')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(row('a null replyTo')).toMatchObject({ ok: true, message: { text: 'null' } });
    expect(row('a null replyTo')).not.toHaveProperty('message.replyTo');
  });

  it("refuses files that are not the sender's uploads, and a files list out of shape, in words", () => {
    const hot = answers.get(true)!;
    const row = (name: string) => hot[PAYLOADS.findIndex(([row]) => row === name)];
    expect(row('a file nobody uploaded')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(row('no text and no files')).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'A message cannot be empty.' },
    });
    expect(row('eleven files')).toMatchObject({
      ok: false,
      error: { code: 'INVALID', message: 'A message can carry at most 10 files.' },
    });
    expect(row('one file twice')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(row('files that are no list')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(row('a null files')).toMatchObject({ ok: true, message: { text: 'no files' } });
    expect(row('a null files')).not.toHaveProperty('message.files');
  });

  it('counts against the same rate limit on both paths', async () => {
    const codes = new Map<boolean, string[]>();
    for (const hotPaths of [true, false]) {
      const server = await start(hotPaths, { MESSAGE_RATE_PER_SECOND: '2', MESSAGE_BURST: '2' });
      try {
        const alice = await server.user('limited');
        await emitRaw(alice, 'channel:create', [{ name: 'limited' }]);
        const sent: string[] = [];
        for (let i = 0; i < 4; i++) {
          const answer = await emitRaw(alice, 'message:send', [
            { channel: 'limited', text: `m${i}`, clientId: randomUUID() },
          ]);
          sent.push(answer.ok ? 'ok' : answer.error.code);
        }
        codes.set(hotPaths, sent);
      } finally {
        await server.stop();
      }
    }
    expect(codes.get(true)).toEqual(['ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(codes.get(false)).toEqual(codes.get(true));
  });
});

/** What the table below refers to, on the server being asked: bob's id, and messages by id. */
const known = { bob: '', mine: '', bobs: '', elsewhere: '' };
/** A payload of each hostile kind, sent to every event (its parameters decide what is validated). */
const HOSTILE: [string, () => unknown[]][] = [
  ['__proto__', () => [JSON.parse('{"channel":"parity","__proto__":{"a":1}}')]],
  ['5,000 keys', () => [Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))]],
  ['300 nested arrays', () => [nested(300)]],
  ['a user in the payload', () => [{ channel: 'parity', user: { id: known.bob, name: 'bob' } }]],
  ['a string payload', () => ['parity']],
  ['two payloads', () => [{ channel: 'parity' }, { channel: 'parity' }]],
];
/**
 * Every client event but session:forget (last, on its own): good, bad and hostile payloads as
 * [event, arguments], in an order that makes sense (join before leave), then every hostile kind at
 * every event. The same table runs through both paths.
 */
const EVENTS: [string, () => [string, unknown[]]][] = [
  ['session:get', () => ['session:get', []]],
  ['session:get with a payload it ignores', () => ['session:get', [{ user: 'someone else' }]]],
  ['channel:list', () => ['channel:list', []]],
  ['channel:list with an empty payload', () => ['channel:list', [{}]]],
  ['channel:create', () => ['channel:create', [{ name: 'made-here' }]]],
  ['channel:create, a name taken', () => ['channel:create', [{ name: 'Parity' }]]],
  ['channel:create, a blank name', () => ['channel:create', [{ name: '   ' }]]],
  ['channel:create, a name too long', () => ['channel:create', [{ name: 'x'.repeat(65) }]]],
  ['channel:create, a number for a name', () => ['channel:create', [{ name: 42 }]]],
  ['channel:create, an unknown field', () => ['channel:create', [{ name: 'extra', admin: true }]]],
  ['channel:create, no payload', () => ['channel:create', []]],
  ['channel:join', () => ['channel:join', [{ channel: 'elsewhere' }]]],
  ['channel:join, again', () => ['channel:join', [{ channel: 'elsewhere' }]]],
  ['channel:join, no such channel', () => ['channel:join', [{ channel: 'nowhere' }]]],
  ['channel:join, a number', () => ['channel:join', [{ channel: 5 }]]],
  ['channel:members', () => ['channel:members', [{ channel: 'parity' }]]],
  ['channel:members, no such channel', () => ['channel:members', [{ channel: 'nowhere' }]]],
  ['channel:leave', () => ['channel:leave', [{ channel: 'elsewhere' }]]],
  ['channel:leave, again', () => ['channel:leave', [{ channel: 'elsewhere' }]]],
  ['channel:members, a channel left', () => ['channel:members', [{ channel: 'elsewhere' }]]],
  ['channel:history', () => ['channel:history', [{ channel: 'parity' }]]],
  ['channel:history after a seq', () => ['channel:history', [{ channel: 'parity', afterSeq: 1 }]]],
  ['channel:history, a negative seq', () => ['channel:history', [{ channel: 'parity', afterSeq: -1 }]]],
  ['channel:history, a seq in words', () => ['channel:history', [{ channel: 'parity', afterSeq: 'one' }]]],
  ['channel:history, not a member', () => ['channel:history', [{ channel: 'elsewhere' }]]],
  ['channel:topic', () => ['channel:topic', [{ channel: 'parity', topic: 'Parity, both ways' }]]],
  ['channel:topic, unchanged', () => ['channel:topic', [{ channel: 'parity', topic: 'Parity, both ways' }]]],
  ['channel:topic, too long', () => ['channel:topic', [{ channel: 'parity', topic: 'x'.repeat(251) }]]],
  ['channel:topic, not a member', () => ['channel:topic', [{ channel: 'elsewhere', topic: 'mine' }]]],
  ['channel:topic, a number', () => ['channel:topic', [{ channel: 'parity', topic: 7 }]]],
  ['channel:read', () => ['channel:read', [{ channel: 'parity', seq: 1 }]]],
  ['channel:read, a negative seq', () => ['channel:read', [{ channel: 'parity', seq: -1 }]]],
  ['channel:read, no seq', () => ['channel:read', [{ channel: 'parity' }]]],
  ['channel:read, not a member', () => ['channel:read', [{ channel: 'elsewhere', seq: 1 }]]],
  ['dm:open', () => ['dm:open', [{ userId: known.bob }]]],
  ['dm:open, nobody', () => ['dm:open', [{ userId: randomUUID() }]]],
  ['dm:open, no UUID', () => ['dm:open', [{ userId: 'bob' }]]],
  ['message:send', () => ['message:send', [{ channel: 'parity', text: 'table', clientId: randomUUID() }]]],
  ['message:edit', () => ['message:edit', [{ channel: 'parity', id: known.mine, text: 'edited' }]]],
  [
    'message:edit, someone else’s',
    () => ['message:edit', [{ channel: 'parity', id: known.bobs, text: 'x' }]],
  ],
  [
    'message:edit, no such message',
    () => ['message:edit', [{ channel: 'parity', id: randomUUID(), text: 'x' }]],
  ],
  ['message:edit, blank text', () => ['message:edit', [{ channel: 'parity', id: known.mine, text: ' ' }]]],
  [
    'message:edit, not a member',
    () => ['message:edit', [{ channel: 'elsewhere', id: known.elsewhere, text: 'x' }]],
  ],
  ['message:react', () => ['message:react', [{ channel: 'parity', id: known.bobs, emoji: '🎉' }]]],
  ['message:unreact', () => ['message:unreact', [{ channel: 'parity', id: known.bobs, emoji: '🎉' }]]],
  ['message:search', () => ['message:search', [{ query: 'edited' }]]],
  ['message:search, nothing', () => ['message:search', [{ query: 'zzzz' }]]],
  ['message:search, empty', () => ['message:search', [{ query: '' }]]],
  ['message:search, too long', () => ['message:search', [{ query: 'x'.repeat(201) }]]],
  ['message:search, a number', () => ['message:search', [{ query: 5 }]]],
  ['typing:start', () => ['typing:start', [{ channel: 'parity' }]]],
  ['typing:start, not a member', () => ['typing:start', [{ channel: 'elsewhere' }]]],
  ['typing:stop', () => ['typing:stop', [{ channel: 'parity' }]]],
  ['typing:stop, no channel', () => ['typing:stop', [{}]]],
  ['message:delete, someone else’s', () => ['message:delete', [{ channel: 'parity', id: known.bobs }]]],
  ['message:delete', () => ['message:delete', [{ channel: 'parity', id: known.mine }]]],
  ['message:delete, again', () => ['message:delete', [{ channel: 'parity', id: known.mine }]]],
  ['message:delete, no id', () => ['message:delete', [{ channel: 'parity' }]]],
  ...CLIENT_EVENTS.filter((event) => event !== 'session:forget').flatMap((event) =>
    HOSTILE.map(([kind, args]): [string, () => [string, unknown[]]] => [
      `${event}, ${kind}`,
      () => [event, args()],
    ]),
  ),
];

describe('every client event answers exactly as through Nest’s pipeline', () => {
  let answers = new Map<boolean, unknown[]>();

  beforeAll(async () => {
    answers = await answersOnBothPaths(async (alice, bob, user) => {
      known.bob = (
        (await emitRaw(bob, 'session:get', [])) as { data: { user: { id: string } } }
      ).data.user.id;
      await emitRaw(bob, 'channel:join', [{ channel: 'parity' }]);
      const sent = async (socket: ClientSocket, channel: string, text: string) =>
        (
          (await emitRaw(socket, 'message:send', [{ channel, text, clientId: randomUUID() }])) as {
            data: { id: string };
          }
        ).data.id;
      known.mine = await sent(alice, 'parity', 'mine');
      known.bobs = await sent(bob, 'parity', 'bob’s');
      known.elsewhere = await sent(bob, 'elsewhere', 'not for alice');
      const list: AckResponse<unknown>[] = [];
      for (const [, row] of EVENTS) {
        const [event, args] = row();
        list.push(await emitRaw(alice, event, args));
      }
      // session:forget ends the session: carol's, once with a payload it ignores.
      const carol = await user('carol');
      const ended = new Promise((resolve) => carol.once('disconnect', resolve));
      return [...list, await emitRaw(carol, 'session:forget', [{ user: 'someone else' }]), await ended];
    });
  });

  const NAMES = [...EVENTS.map(([name]) => name), 'session:forget', 'the forgotten session’s end'];

  it('covers every client event of the contract', () => {
    const covered = new Set(EVENTS.map(([, row]) => row()[0]));
    expect([...covered, 'session:forget'].sort()).toEqual([...CLIENT_EVENTS].sort());
  });

  it.each(NAMES.map((name, index) => [name, index] as const))('%s', (_name, index) => {
    expect(answers.get(true)?.[index]).toEqual(answers.get(false)?.[index]);
  });

  it('validates what a handler reads, and only that; an event that acks by itself is answered once', () => {
    const hot = answers.get(true)!;
    const row = (name: string) => hot[NAMES.indexOf(name)];
    // A handler that declares no parameter gets the payload as Nest hands it, through the pipe.
    expect(row('channel:list, __proto__')).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(row('channel:list, a string payload')).toMatchObject({ ok: true });
    // One that reads only the session reads no payload: nothing to refuse, the user is the session's.
    expect(row('session:get, a user in the payload')).toMatchObject({
      ok: true,
      data: { user: { name: 'alice' } },
    });
    expect(row('message:edit, someone else’s')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(row('session:forget')).toEqual({ ok: true, data: null });
    expect(row('the forgotten session’s end')).toBe('io server disconnect');
  });

  it('counts every limited event against the same limit on both paths', async () => {
    const limitedOnce: EnvOverrides = {
      CHANNEL_CREATES_PER_MINUTE: '1',
      CHANNEL_JOINS_PER_MINUTE: '1',
      HISTORY_REQUESTS_PER_MINUTE: '1',
      SEARCHES_PER_MINUTE: '1',
      TOPIC_CHANGES_PER_MINUTE: '1',
    };
    // Pairs on one limit each: the second of a pair is over it.
    const pairs: [string, unknown][][] = [
      [
        ['channel:create', { name: 'first' }],
        ['channel:create', { name: 'second' }],
      ],
      [
        ['channel:join', { channel: 'general' }],
        ['channel:leave', { channel: 'general' }],
      ],
      [
        ['channel:history', { channel: 'general' }],
        ['channel:members', { channel: 'general' }],
      ],
      [
        ['message:search', { query: 'hello' }],
        ['message:search', { query: 'again' }],
      ],
      [
        ['channel:topic', { channel: 'general', topic: 'one' }],
        ['channel:topic', { channel: 'general', topic: 'two' }],
      ],
    ];
    const codes = new Map<boolean, string[]>();
    for (const hotPaths of [true, false]) {
      const server = await start(hotPaths, limitedOnce);
      try {
        const alice = await server.user('limited');
        const answers: string[] = [];
        for (const [event, payload] of pairs.flat()) {
          const answer = await emitRaw(alice, event, [payload]);
          answers.push(answer.ok ? 'ok' : answer.error.code);
        }
        codes.set(hotPaths, answers);
      } finally {
        await server.stop();
      }
    }
    expect(codes.get(true)).toEqual(pairs.flatMap(() => ['ok', 'RATE_LIMITED']));
    expect(codes.get(false)).toEqual(codes.get(true));
  });
});
