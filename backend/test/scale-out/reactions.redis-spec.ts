// Reactions and replies across instances: made on any instance, seen live on every other, stored
// once in the shared history, and a crowd reacting through three instances at once all kept.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { withHistory, withMessages, type ChannelView, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { collect, next, sendMessage, settle, type TestUser } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { eventually, type FlackInstance } from './support/flack-instance.js';

describe('reactions and replies on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  /** Alice on a creates a channel; Bob on b and Carol on c join it. */
  async function threePeople(): Promise<{
    alice: TestUser;
    bob: TestUser;
    carol: TestUser;
    channel: string;
  }> {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const channel = (await alice.call('channel:create', { name: `r${randomUUID().slice(0, 8)}` })).channel.id;
    await bob.call('channel:join', { channel });
    await carol.call('channel:join', { channel });
    return { alice, bob, carol, channel };
  }

  const send = (user: TestUser, channel: string, text: string, replyTo?: string) =>
    sendMessage(user, { channel, text, clientId: randomUUID(), ...(replyTo && { replyTo }) });

  it('shows a reaction made on one instance live on the others, and in every history', async () => {
    const { alice, bob, carol, channel } = await threePeople();
    const sent = await send(alice, channel, 'demo at three?');
    await settle(alice, bob, carol);
    const [atA, atC] = [next(alice.socket, 'message:updated'), next(carol.socket, 'message:updated')];

    const reacted = await bob.call('message:react', { channel, id: sent.id, emoji: '👍🏽' });

    expect(reacted.reactions).toEqual([{ emoji: '👍🏽', users: [bob.session.user] }]);
    expect(await atA).toEqual(reacted);
    expect(await atC).toEqual(reacted);
    const taken = await carol.call('message:unreact', { channel, id: sent.id, emoji: '👍🏽' });
    expect(taken).toEqual(reacted);
    for (const user of [alice, bob, carol]) {
      const { messages } = await user.call('channel:history', { channel });
      expect(messages).toEqual([reacted]);
    }
  });

  it('keeps every one of 21 people reacting at once through three instances, and no broadcast undoes another', async () => {
    const { alice, bob, carol, channel } = await threePeople();
    const crowd = [
      bob,
      carol,
      ...(await Promise.all(Array.from({ length: 18 }, (_, i) => userOn([a, b, c][i % 3]!)))),
    ];
    await Promise.all(crowd.slice(2).map((fan) => fan.call('channel:join', { channel })));
    const sent = await send(alice, channel, 'we shipped it');
    // Alice's view follows the broadcasts as the app does: of two copies, the larger revision wins,
    // whatever order the instances' broadcasts arrive in.
    let view: ChannelView | undefined = withHistory(undefined, [sent], (message: Message) => message);
    alice.socket.on('message:updated', (message) => {
      view = withMessages(view, [message], (kept: Message) => kept);
    });

    const answers = await Promise.all(
      [...crowd, alice].map((person) => person.call('message:react', { channel, id: sent.id, emoji: '🎉' })),
    );

    expect(answers.map((answer) => answer.revision).sort((x, y) => x! - y!)).toEqual(
      Array.from({ length: 21 }, (_, i) => i + 1),
    );
    const { messages } = await carol.call('channel:history', { channel });
    const [stored] = messages;
    expect(stored?.revision).toBe(21);
    expect(stored?.reactions?.[0]?.users.map((user) => user.id).sort()).toEqual(
      [...crowd, alice].map((person) => person.id).sort(),
    );
    await eventually('alice to have heard the last reaction', () => view?.messages[0]?.revision === 21);
    expect(view?.messages).toEqual([stored]);
  });

  it('quotes an original sent on another instance, and takes its words out when it is deleted there', async () => {
    const { alice, bob, carol, channel } = await threePeople();
    const original = await send(alice, channel, 'first draft\nwith details');
    await bob.call('message:react', { channel, id: original.id, emoji: '👀' });
    const atA = next(alice.socket, 'message:new');

    const answer = await send(carol, channel, 'looks good', original.id);

    expect(answer.replyTo).toEqual({
      id: original.id,
      seq: original.seq,
      author: alice.session.user,
      excerpt: 'first draft',
    });
    expect(await atA).toEqual(answer);

    await settle(alice, bob, carol);
    const atB = collect(bob.socket, 'message:updated');
    const tombstone = await alice.call('message:delete', { channel, id: original.id });
    expect(tombstone).not.toHaveProperty('reactions');
    await eventually('b to hear the deletion and the unquoted reply', () => atB.length === 2);
    const { messages } = await bob.call('channel:history', { channel });
    expect(atB).toEqual(messages);
    expect(messages[1]?.replyTo).toMatchObject({ excerpt: '', deleted: true });
    expect(await bob.fail('message:react', { channel, id: original.id, emoji: '👀' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
