import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_EVENTS, type ClientToServerEvents } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import {
  connected,
  eventually,
  next,
  send,
  settle,
  TestServer,
  TestUser,
  uniqueName,
} from './support/test-app.js';

type Event = keyof ClientToServerEvents;

/** Emits an event as a client that asks for no acknowledgement: no callback at all. */
function emitWithoutAck(user: TestUser, event: Event, payload?: unknown): void {
  const raw = user.socket as unknown as { emit(event: string, ...args: unknown[]): void };
  if (payload === undefined) raw.emit(event);
  else raw.emit(event, payload);
}

/**
 * Every client event does all of its work whether or not the client asked for an ack ("Forget me"
 * without one used to throw after releasing the name, leaving both tabs connected and acting).
 * Each row sends its event without a callback and checks what a person would notice.
 */
describe('every event without an ack callback', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let channel: string;

  beforeAll(async () => {
    server = await TestServer.start();
    alice = await server.user(uniqueName('alice'));
    bob = await server.user(uniqueName('bob'));
    channel = (await alice.call('channel:create', { name: uniqueName('quiet') })).channel.id;
    await bob.call('channel:join', { channel });
  });
  afterAll(() => server.stop());

  const effects: Record<Event, () => Promise<void>> = {
    'session:get': async () => {
      emitWithoutAck(alice, 'session:get');
      await settle(alice);
    },
    'channel:list': async () => {
      emitWithoutAck(alice, 'channel:list');
      await settle(alice);
    },
    'channel:history': async () => {
      emitWithoutAck(alice, 'channel:history', { channel });
      await settle(alice);
    },
    'channel:members': async () => {
      emitWithoutAck(alice, 'channel:members', { channel });
      await settle(alice);
    },
    'channel:create': async () => {
      const name = uniqueName('made');
      const heard = next(bob.socket, 'channel:created');
      emitWithoutAck(alice, 'channel:create', { name });
      expect((await heard).name).toBe(name);
      expect((await alice.call('session:get')).joined).toContain(name.toLowerCase());
    },
    'channel:join': async () => {
      const other = (await bob.call('channel:create', { name: uniqueName('other') })).channel.id;
      const joined = next(alice.socket, 'channel:joined');
      emitWithoutAck(alice, 'channel:join', { channel: other });
      expect((await joined).id).toBe(other);
    },
    'channel:leave': async () => {
      const spare = (await bob.call('channel:create', { name: uniqueName('spare') })).channel.id;
      await alice.call('channel:join', { channel: spare });
      const left = next(alice.socket, 'channel:left');
      emitWithoutAck(alice, 'channel:leave', { channel: spare });
      expect(await left).toEqual({ channel: spare });
    },
    'dm:open': async () => {
      const opened = next(bob.socket, 'channel:joined');
      emitWithoutAck(alice, 'dm:open', { userId: bob.id });
      expect((await opened).dm?.map((person) => person.id).sort()).toEqual([alice.id, bob.id].sort());
    },
    'message:send': async () => {
      const heard = next(bob.socket, 'message:new');
      const clientId = randomUUID();
      emitWithoutAck(alice, 'message:send', { channel, text: 'no ack wanted', clientId });
      expect(await heard).toMatchObject({ text: 'no ack wanted', clientId, author: { id: alice.id } });
    },
    'message:edit': async () => {
      const sent = await send(alice, channel, 'first');
      const changed = next(bob.socket, 'message:updated');
      emitWithoutAck(alice, 'message:edit', { channel, id: sent.id, text: 'second' });
      expect(await changed).toMatchObject({ id: sent.id, text: 'second' });
    },
    'message:delete': async () => {
      const sent = await send(alice, channel, 'to go');
      const changed = next(bob.socket, 'message:updated');
      emitWithoutAck(alice, 'message:delete', { channel, id: sent.id });
      expect(await changed).toMatchObject({ id: sent.id, deletedAt: expect.any(String) });
    },
    'message:react': async () => {
      const sent = await send(alice, channel, 'react to me');
      const changed = next(bob.socket, 'message:updated');
      emitWithoutAck(alice, 'message:react', { channel, id: sent.id, emoji: '🎉' });
      expect(await changed).toMatchObject({
        id: sent.id,
        reactions: [{ emoji: '🎉', users: [alice.session.user] }],
      });
    },
    'message:unreact': async () => {
      const sent = await send(alice, channel, 'take it back');
      const reacted = next(bob.socket, 'message:updated');
      await alice.call('message:react', { channel, id: sent.id, emoji: '🎉' });
      await reacted;
      const changed = next(bob.socket, 'message:updated');
      emitWithoutAck(alice, 'message:unreact', { channel, id: sent.id, emoji: '🎉' });
      expect(await changed).toMatchObject({ id: sent.id, revision: 2 });
      expect((await changed).reactions).toBeUndefined();
    },
    'channel:topic': async () => {
      const updated = next(bob.socket, 'channel:updated');
      emitWithoutAck(alice, 'channel:topic', { channel, topic: 'No ack wanted' });
      expect(await updated).toMatchObject({ id: channel, topic: 'No ack wanted' });
    },
    'message:search': async () => {
      // Nothing to change: the server answers no one, stays up and keeps this socket.
      emitWithoutAck(alice, 'message:search', { query: 'no ack wanted' });
      await settle(alice);
    },
    'channel:read': async () => {
      const sent = await send(bob, channel, 'read me');
      const read = next(alice.socket, 'channel:read');
      emitWithoutAck(alice, 'channel:read', { channel, seq: sent.seq });
      expect(await read).toMatchObject({ channel, lastReadSeq: sent.seq, unread: 0 });
    },
    'typing:start': async () => {
      const typing = next(bob.socket, 'typing');
      emitWithoutAck(alice, 'typing:start', { channel });
      expect(await typing).toEqual({ channel, users: [alice.session.user] });
    },
    'typing:stop': async () => {
      const stopped = next(bob.socket, 'typing');
      emitWithoutAck(alice, 'typing:stop', { channel });
      expect(await stopped).toEqual({ channel, users: [] });
    },
    'session:forget': async () => {
      const carol = await server.user(uniqueName('carol'));
      const secondTab = new TestUser(carol.session, await connected(server.socket(carol.session.token)));
      const ended = next(secondTab.socket, 'session:ended');
      const gone = new Promise((resolve) => secondTab.socket.once('disconnect', resolve));
      emitWithoutAck(carol, 'session:forget');
      await ended;
      expect(await gone).toBe('io server disconnect');
      await eventually('carol to be disconnected', () => !carol.socket.connected, 5000);
      // The name is free, and the old tab cannot act under it any more.
      expect((await server.post('/api/sessions', { name: carol.session.user.name })).status).toBe(201);
    },
  };

  it('covers every client event of the contract', () => {
    expect(Object.keys(effects).sort()).toEqual([...CLIENT_EVENTS].sort());
  });

  // In the order of the table: typing:stop after typing:start, session:forget last.
  it.each(Object.keys(effects) as Event[])('%s', async (event) => {
    await effects[event]();
    expect(alice.socket.connected).toBe(true);
  });
});
