import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'socket.io';
import { ChannelsRepository } from '../src/channels/channels.repository.js';
import { RateLimiter } from '../src/common/rate-limit/rate-limiter.service.js';
import { MessagesRepository } from '../src/messages/messages.repository.js';
import { ReadStateRepository } from '../src/messages/read-state.repository.js';
import { PresenceRepository } from '../src/presence/presence.repository.js';
import { PresenceService } from '../src/presence/presence.service.js';
import { TypingRepository } from '../src/presence/typing.repository.js';
import { ConnectionsService } from '../src/sessions/connections.service.js';
import { SessionGateway } from '../src/sessions/session.gateway.js';
import { UsersRepository } from '../src/sessions/users.repository.js';
import { leaveEveryKindOfTrace, memoryKeysMentioning } from './support/traces.js';
import { eventually, settle, TestServer, uniqueName } from './support/test-app.js';

describe('releasing a name', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ PRESENCE_GRACE_MS: '100' });
  });
  afterAll(() => server.stop());

  it('leaves no entry keyed by the person in any repository, service or room of the server', async () => {
    const alice = await server.user(uniqueName('alice'));
    const secondTab = await server.user(uniqueName('other'));
    const bob = await server.user(uniqueName('bob'));
    await leaveEveryKindOfTrace(alice, bob);
    const get = <T>(token: abstract new (...args: never[]) => T): T => server.app.get(token as never);
    const everything = () => ({
      users: get(UsersRepository),
      channels: get(ChannelsRepository),
      messages: get(MessagesRepository),
      readStates: get(ReadStateRepository),
      presence: get(PresenceRepository),
      presenceService: get(PresenceService),
      typing: get(TypingRepository),
      connections: get(ConnectionsService),
      rateLimits: get(RateLimiter),
      rooms: (get(SessionGateway) as unknown as { server: Server }).server.of('/').adapter.rooms,
    });
    // The scenario did leave traces, so the search below can find them.
    expect(memoryKeysMentioning(everything(), alice.id).length).toBeGreaterThan(5);

    await alice.call('session:forget');
    await settle(bob, secondTab);
    await eventually(
      'no trace of alice',
      () => memoryKeysMentioning(everything(), alice.id).length === 0,
      5000,
    );
    expect(memoryKeysMentioning(everything(), alice.id)).toEqual([]);
    // Bob keeps what is his.
    expect(memoryKeysMentioning(everything(), bob.id).length).toBeGreaterThan(0);
  });
});
