// Channel topics: set by members, announced live to everyone who sees the channel, listed everywhere.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, type Channel } from '@flack/contract';
import {
  collect,
  connected,
  next,
  settle,
  TestServer,
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

async function listed(channel: string): Promise<Channel | undefined> {
  const { body } = await server.get('/api/channels');
  return (body as Channel[]).find((listing) => listing.id === channel);
}

describe('channel:topic', () => {
  it('lets a member set it; everyone hears channel:updated and it is listed everywhere', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const outsider = await server.user(uniqueName('carol'));
    const heard = [alice, bob, outsider].map((user) => next(user.socket, 'channel:updated'));

    const answer = await bob.call('channel:topic', { channel, topic: '  Release on Thursday, 10:00 UTC ' });

    expect(answer).toMatchObject({ id: channel, members: 2, topic: 'Release on Thursday, 10:00 UTC' });
    for (const update of await Promise.all(heard)) expect(update).toEqual(answer);
    expect(await listed(channel)).toEqual(answer);
    expect((await outsider.call('channel:list')).find((c) => c.id === channel)).toEqual(answer);
    expect((await outsider.call('session:get')).channels.find((c) => c.id === channel)).toEqual(answer);
    expect((await outsider.call('channel:join', { channel })).channel.topic).toBe(answer.topic);
  });

  it('clears it with an empty or blank topic: absent from then on', async () => {
    const { alice, channel } = await twoInAChannel(server);
    await alice.call('channel:topic', { channel, topic: 'Short-lived' });
    expect((await listed(channel))?.topic).toBe('Short-lived');

    const cleared = await alice.call('channel:topic', { channel, topic: ' \u200B ' });

    expect(cleared).not.toHaveProperty('topic');
    expect(await listed(channel)).not.toHaveProperty('topic');
    expect((await alice.call('channel:list')).find((c) => c.id === channel)).not.toHaveProperty('topic');
  });

  it('keeps RTL text, emoji and 250 characters exactly as written', async () => {
    const { alice, channel } = await twoInAChannel(server);
    const topic = 'שלום 👩‍👩‍👧‍👦 '.repeat(LIMITS.topicMaxLength / 10).trim();
    expect((await alice.call('channel:topic', { channel, topic })).topic).toBe(topic);
    expect((await listed(channel))?.topic).toBe(topic);
  });

  it.each([
    ['251 characters', 'x'.repeat(LIMITS.topicMaxLength + 1), 'A topic can be at most 250 characters.'],
    ['10,000 characters', 'y'.repeat(10_000), 'A topic can be at most 250 characters.'],
    ['two lines', 'first\nsecond', 'A topic must fit on one line.'],
    ['a number', 42, 'A topic must be text.'],
  ])('refuses %s with a clear error and changes nothing', async (_, topic, message) => {
    const { alice, bob, channel } = await twoInAChannel(server);
    await alice.call('channel:topic', { channel, topic: 'Kept' });
    await settle(bob);
    const updates = collect(bob.socket, 'channel:updated');

    const error = await alice.fail('channel:topic', { channel, topic: topic as string });

    expect(error).toMatchObject({ code: 'INVALID', message, details: { topic: [message] } });
    await settle(alice, bob);
    expect(updates).toEqual([]);
    expect((await listed(channel))?.topic).toBe('Kept');
  });

  it('is for members only: an outsider gets NOT_A_MEMBER, an unknown channel NOT_FOUND', async () => {
    const { alice, channel } = await twoInAChannel(server);
    await alice.call('channel:topic', { channel, topic: 'Ours' });
    await settle(alice);
    const outsider = await server.user(uniqueName('eve'));
    const updates = collect(alice.socket, 'channel:updated');

    expect(await outsider.fail('channel:topic', { channel, topic: 'Mine' })).toMatchObject({
      code: 'NOT_A_MEMBER',
    });
    expect(
      await outsider.fail('channel:topic', { channel: uniqueName('nowhere'), topic: 'x' }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    await settle(alice);
    expect(updates).toEqual([]);
    expect((await listed(channel))?.topic).toBe('Ours');
  });

  it('takes the identity from the session: a payload naming someone else is refused', async () => {
    const { alice, channel } = await twoInAChannel(server);
    const raw = alice.socket as unknown as {
      timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
    };
    const answer = await raw.timeout(5000).emitWithAck('channel:topic', { channel, topic: 'x', user: 'bob' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await listed(channel)).not.toHaveProperty('topic');
  });

  it('announces nothing when the topic already was that', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    await alice.call('channel:topic', { channel, topic: 'Same' });
    await settle(bob);
    const updates = collect(bob.socket, 'channel:updated');

    expect((await bob.call('channel:topic', { channel, topic: ' Same' })).topic).toBe('Same');
    await settle(alice, bob);
    expect(updates).toEqual([]);
  });

  it('reaches every tab of a person', async () => {
    const { alice, channel } = await twoInAChannel(server);
    const secondTab = await connected(server.socket(alice.session.token));
    const heard = next(secondTab, 'channel:updated');
    await alice.call('channel:topic', { channel, topic: 'In every tab' });
    expect((await heard).topic).toBe('In every tab');
  });
});

describe('the topic of a direct conversation', () => {
  it('is told to its two people only, and listed to them only', async () => {
    const alice = await server.user(uniqueName('alice'));
    const bob = await server.user(uniqueName('bob'));
    const eve = await server.user(uniqueName('eve'));
    const { channel } = await alice.call('dm:open', { userId: bob.id });
    const toEve = collect(eve.socket, 'channel:updated');
    const toBob = next(bob.socket, 'channel:updated');

    const answer = await alice.call('channel:topic', { channel: channel.id, topic: 'Lunch at noon?' });

    expect(await toBob).toEqual(answer);
    expect(answer).toMatchObject({ id: channel.id, topic: 'Lunch at noon?', dm: expect.any(Array) });
    expect((await bob.call('session:get')).channels.find((c) => c.id === channel.id)?.topic).toBe(
      'Lunch at noon?',
    );
    expect(await eve.fail('channel:topic', { channel: channel.id, topic: 'Mine' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    await settle(eve);
    expect(toEve).toEqual([]);
    expect(await listed(channel.id)).toBeUndefined();
  });
});

describe('rate limit', () => {
  it('refuses a flood of topic changes with RATE_LIMITED, in words', async () => {
    const limited = await TestServer.start({ TOPIC_CHANGES_PER_MINUTE: '3' });
    try {
      const alice = await limited.user(uniqueName('alice'));
      const { channel } = await alice.call('channel:create', { name: uniqueName('busy') });
      for (const topic of ['one', 'two', 'three'])
        await alice.call('channel:topic', { channel: channel.id, topic });
      const error = await alice.fail('channel:topic', { channel: channel.id, topic: 'four' });
      expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
      expect(error.message).toMatch(/^You are changing topics too fast\. Try again in \d+ s\.$/);
      const { body } = await limited.get('/api/channels');
      expect((body as Channel[])[0]?.topic).toBe('three');
    } finally {
      await limited.stop();
    }
  });
});
