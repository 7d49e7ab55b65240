import { beforeEach, describe, expect, it } from '@jest/globals';
import type { AckResponse } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { ChannelsService } from '../channels/channels.service.js';
import { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.service.js';
import type { FlackServer } from '../common/socket-types.js';
import { InMemoryUsersRepository } from '../users/in-memory-users.repository.js';
import { UsersService } from '../users/users.service.js';
import { InMemoryPresenceService } from '../presence/in-memory-presence.service.js';
import { InMemoryTypingService } from '../presence/in-memory-typing.service.js';
import { ChatGateway } from './chat.gateway.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import { InMemoryReadStateRepository } from './in-memory-read-state.repository.js';
import { MessagesService } from './messages.service.js';
import { testConfig } from '../../test/support/test-config.js';

/** Records what the gateway asks Socket.IO to do, room by room. */
class FakeServer {
  readonly emitted: { room: string; event: string; payload: unknown }[] = [];
  readonly roomChanges: { room: string; op: string; target: string | boolean }[] = [];

  emit(event: string, payload?: unknown) {
    this.emitted.push({ room: '*', event, payload });
  }

  to(room: string) {
    return { emit: (event: string, payload?: unknown) => this.emitted.push({ room, event, payload }) };
  }

  in(room: string) {
    return {
      socketsJoin: (target: string) => this.roomChanges.push({ room, op: 'join', target }),
      socketsLeave: (target: string) => this.roomChanges.push({ room, op: 'leave', target }),
      disconnectSockets: (close: boolean) => this.roomChanges.push({ room, op: 'disconnect', target: close }),
    };
  }
}

describe('ChatGateway (handlers called directly)', () => {
  let gateway: ChatGateway;
  let server: FakeServer;
  let users: UsersService;
  const config = testConfig();

  beforeEach(() => {
    const channels = new ChannelsService(new InMemoryChannelsRepository(), testConfig());
    users = new UsersService(new InMemoryUsersRepository(), channels, config);
    const messages = new MessagesService(
      new InMemoryMessagesRepository(),
      channels,
      new InMemoryReadStateRepository(),
    );
    gateway = new ChatGateway(
      users,
      channels,
      messages,
      config,
      new InMemoryPresenceService(config),
      new InMemoryTypingService(config),
      new RateLimiter(config, null),
    );
    server = new FakeServer();
    (gateway as unknown as { server: FlackServer }).server = server as unknown as FlackServer;
  });

  it('create: announces the channel to everyone and puts every tab of the creator in its room', async () => {
    const { user } = await users.claim('alice');
    const answer = await gateway.create(user, { name: 'General' });
    expect(answer).toMatchObject({
      ok: true,
      data: { channel: { id: 'general', members: 1 }, messages: [] },
    });
    expect(server.roomChanges).toEqual([{ room: `user:${user.id}`, op: 'join', target: 'channel:general' }]);
    expect(server.emitted).toEqual([
      { room: '*', event: 'channel:created', payload: expect.objectContaining({ id: 'general' }) },
      {
        room: `user:${user.id}`,
        event: 'channel:joined',
        payload: expect.objectContaining({ id: 'general' }),
      },
    ]);
  });

  it('send: broadcasts to the channel room only, and not again for a retry', async () => {
    const { user } = await users.claim('alice');
    await gateway.create(user, { name: 'general' });
    server.emitted.length = 0;
    const payload = { channel: 'general', text: 'hello', clientId: randomUUID() };
    const first = (await gateway.send(user, payload)) as AckResponse<unknown> & { ok: true };
    const retry = await gateway.send(user, payload);
    expect(retry).toEqual(first);
    expect(server.emitted).toEqual([{ room: 'channel:general', event: 'message:new', payload: first.data }]);
  });

  it('join: joins the room once and returns the history every time', async () => {
    const alice = (await users.claim('alice')).user;
    const bob = (await users.claim('bob')).user;
    await gateway.create(alice, { name: 'general' });
    await gateway.send(alice, { channel: 'general', text: 'before you came', clientId: randomUUID() });
    server.roomChanges.length = 0;
    const first = await gateway.join(bob, { channel: 'GENERAL' });
    const second = await gateway.join(bob, { channel: 'general' });
    expect(first).toMatchObject({ ok: true, data: { messages: [{ text: 'before you came' }] } });
    expect(second).toMatchObject({ ok: true, data: { messages: [{ text: 'before you came' }] } });
    expect(server.roomChanges).toEqual([{ room: `user:${bob.id}`, op: 'join', target: 'channel:general' }]);
  });

  it('leave: takes every tab out of the room, tells them, and tells the members who left', async () => {
    const { user } = await users.claim('alice');
    await gateway.create(user, { name: 'general' });
    expect(await gateway.leave(user, { channel: 'general' })).toEqual({ ok: true, data: null });
    expect(server.roomChanges.at(-1)).toEqual({
      room: `user:${user.id}`,
      op: 'leave',
      target: 'channel:general',
    });
    expect(server.emitted.slice(-2)).toEqual([
      { room: `user:${user.id}`, event: 'channel:left', payload: { channel: 'general' } },
      {
        room: 'channel:general',
        event: 'channel:membership',
        payload: { channel: 'general', user, joined: false },
      },
    ]);
  });

  it('forget: acks first, then ends and disconnects every tab', async () => {
    const { user, token } = await users.claim('alice');
    const order: string[] = [];
    const ack = (answer: AckResponse<null>) => order.push(`ack:${answer.ok}`);
    const originalTo = server.to.bind(server);
    server.to = (room: string) => ({
      emit: (event: string) => {
        order.push(event);
        return originalTo(room).emit(event);
      },
    });
    await gateway.forget(user, ack);
    expect(order).toEqual(['ack:true', 'session:ended']);
    expect(server.roomChanges).toEqual([{ room: `user:${user.id}`, op: 'disconnect', target: true }]);
    expect(await users.authenticate(token)).toBeUndefined();
  });

  it('errors are thrown as typed AppErrors for the ack filter to answer', async () => {
    const { user } = await users.claim('alice');
    await expect(gateway.join(user, { channel: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
