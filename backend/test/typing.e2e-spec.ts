// Who is typing in a channel: told to the members, ended by stopping, leaving, closing the tab, or time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collect, next, settle, TestServer, twoInAChannel, uniqueName } from './support/test-app.js';

// A short timeout so that expiry can be watched without slowing the suite; the rules are the same.
const TYPING_TIMEOUT_MS = 300;

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start({ TYPING_TIMEOUT_MS: String(TYPING_TIMEOUT_MS) });
});

afterAll(async () => {
  await server.stop();
});

describe('typing', () => {
  it('shows who is typing to the channel and expires on its own', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const states = collect(bob.socket, 'typing');

    await alice.call('typing:start', { channel });
    await alice.call('typing:start', { channel });
    await settle(bob);
    expect(states).toEqual([{ channel, users: [alice.session.user] }]);

    expect(await next(bob.socket, 'typing', TYPING_TIMEOUT_MS * 10)).toEqual({ channel, users: [] });
  });

  it('ends when the typist stops, leaves, or closes the tab', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);

    await alice.call('typing:start', { channel });
    await next(bob.socket, 'typing');
    const stopped = next(bob.socket, 'typing');
    await alice.call('typing:stop', { channel });
    expect(await stopped).toEqual({ channel, users: [] });

    await alice.call('typing:start', { channel });
    await next(bob.socket, 'typing');
    const left = next(bob.socket, 'typing');
    await alice.call('channel:leave', { channel });
    expect(await left).toEqual({ channel, users: [] });

    await bob.call('typing:start', { channel });
    const carol = await server.user(uniqueName('carol'));
    await carol.call('channel:join', { channel });
    const closed = next(carol.socket, 'typing');
    bob.socket.disconnect();
    expect(await closed).toEqual({ channel, users: [] });
  });

  it('is for members only', async () => {
    const { channel } = await twoInAChannel(server);
    const eve = await server.user(uniqueName('eve'));

    expect(await eve.fail('typing:start', { channel })).toMatchObject({ code: 'NOT_A_MEMBER' });
  });
});
