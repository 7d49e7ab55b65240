// Messages across instances: delivered to members on every instance, numbered and capped as one
// history, stored once per clientId; edited, deleted and read from any instance.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ack, collect, next, sendMessage, settle, TestUser, uniqueName } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { claim, eventually, type FlackInstance } from './support/flack-instance.js';

describe('messages on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { userOn, tabOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('delivers channels and messages to members on every instance', async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const name = uniqueName('everywhere');
    const createdAtC = next(carol.socket, 'channel:created');
    const { channel } = await alice.call('channel:create', { name });
    expect((await createdAtC).id).toBe(channel.id);
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });

    const [atB, atC] = [next(bob.socket, 'message:new'), next(carol.socket, 'message:new')];
    const sent = await sendMessage(alice, {
      channel: channel.id,
      text: 'hello from a',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(sent);
    expect(await atC).toEqual(sent);

    const heardAtA = collect(alice.socket, 'message:new');
    const reply = await sendMessage(carol, {
      channel: channel.id,
      text: 'hi from c',
      clientId: randomUUID(),
    });
    await eventually('the reply to reach a', async () => heardAtA.some((message) => message.id === reply.id));
    expect(heardAtA.filter((message) => message.id === reply.id)).toEqual([reply]);

    for (const user of [alice, bob, carol]) {
      expect((await user.call('channel:history', { channel: channel.id })).messages).toEqual([sent, reply]);
      expect((await user.call('channel:list')).find((listed) => listed.id === channel.id)?.members).toBe(3);
    }
  });

  it('keeps the newest 100 messages of a channel, numbered in order, with writers on every instance', async () => {
    const writers = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await writers[0].call('channel:create', { name: uniqueName('capped') });
    await writers[1].call('channel:join', { channel: channel.id });
    await writers[2].call('channel:join', { channel: channel.id });

    const acked = (
      await Promise.all(
        writers.map((writer, w) =>
          Promise.all(
            Array.from({ length: 50 }, (_, n) =>
              sendMessage(writer, {
                channel: channel.id,
                text: `w${w} n${n}`,
                clientId: randomUUID(),
              }),
            ),
          ),
        ),
      )
    ).flat();
    const seqs = acked.map((message) => message.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

    const newest = [...acked].sort((x, y) => x.seq - y.seq).slice(-100);
    for (const writer of writers) {
      expect((await writer.call('channel:history', { channel: channel.id })).messages).toEqual(newest);
    }
    expect((await writers[2].call('channel:list')).find((listed) => listed.id === channel.id)?.messages).toBe(
      100,
    );
  });

  /** One person's tabs on a and b, in a channel of theirs that a member on c watches. */
  async function twoTabsWatched(name: string) {
    const tabA = await userOn(a, uniqueName(name));
    const tabB = await tabOn(b, tabA.session);
    const watcher = await userOn(c);
    const { channel } = await tabA.call('channel:create', { name: uniqueName(name) });
    await watcher.call('channel:join', { channel: channel.id });
    return { tabA, tabB, watcher, channel };
  }

  it('stores a message sent through two instances with one clientId once', async () => {
    const { tabA, tabB, watcher, channel } = await twoTabsWatched('dedup');
    const heard = collect(watcher.socket, 'message:new');

    const payload = { channel: channel.id, text: 'only once', clientId: randomUUID() };
    const [first, second] = await Promise.all([sendMessage(tabA, payload), sendMessage(tabB, payload)]);
    expect(second).toEqual(first);
    await settle(watcher, tabA, tabB);
    expect((await watcher.call('channel:history', { channel: channel.id })).messages).toEqual([first]);
    // Heard live, perhaps once per send (a retry is broadcast again), always as the one stored message.
    expect(heard.length).toBeGreaterThanOrEqual(1);
    expect(heard.every((message) => JSON.stringify(message) === JSON.stringify(first))).toBe(true);
  });

  it('answers a retry on another instance of a send older than the history with its ack, and broadcasts nothing', async () => {
    const { tabA, tabB, watcher, channel } = await twoTabsWatched('late');
    const old = { channel: channel.id, text: 'long ago', clientId: randomUUID() };
    const oldAck = await tabA.call('message:send', old);
    const recent = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        sendMessage(tabA, { channel: channel.id, text: `m${i}`, clientId: randomUUID() }),
      ),
    );
    const before = (await watcher.call('channel:history', { channel: channel.id })).messages;
    await settle(watcher, tabA, tabB);
    const heard = collect(watcher.socket, 'message:new');

    expect(await tabB.call('message:send', old)).toEqual(oldAck);
    // A retry within the history is broadcast again, for contrast.
    const newest = recent.reduce((x, y) => (x.seq > y.seq ? x : y));
    await tabB.call('message:send', { channel: channel.id, text: newest.text, clientId: newest.clientId });
    await eventually('the newest to be heard again', async () => heard.length > 0);
    await settle(watcher, tabA, tabB);
    expect(heard).toEqual([newest]);
    expect((await watcher.call('channel:history', { channel: channel.id })).messages).toEqual(before);
  });

  it('carries an edit and a delete made through one instance to the members on the others, live and in history', async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('changes') });
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });
    const sent = await sendMessage(alice, {
      channel: channel.id,
      text: 'helo',
      clientId: randomUUID(),
    });
    const kept = await sendMessage(alice, {
      channel: channel.id,
      text: 'this one stays as it is',
      clientId: randomUUID(),
    });

    const editSeen = [next(bob.socket, 'message:updated'), next(carol.socket, 'message:updated')];
    const edited = await alice.call('message:edit', { channel: channel.id, id: sent.id, text: 'hello' });
    expect(edited).toMatchObject({ id: sent.id, seq: sent.seq, text: 'hello' });
    expect(Date.parse(edited.editedAt ?? '')).not.toBeNaN();
    expect(await Promise.all(editSeen)).toEqual([edited, edited]);
    for (const user of [alice, bob, carol]) {
      expect((await user.call('channel:history', { channel: channel.id })).messages).toEqual([edited, kept]);
    }

    const deleteSeen = [next(bob.socket, 'message:updated'), next(carol.socket, 'message:updated')];
    const tombstone = await alice.call('message:delete', { channel: channel.id, id: sent.id });
    expect(tombstone).toMatchObject({ id: sent.id, seq: sent.seq, text: '' });
    expect(tombstone.deletedAt).toBeDefined();
    expect(await Promise.all(deleteSeen)).toEqual([tombstone, tombstone]);
    for (const user of [alice, bob, carol]) {
      const { messages } = await user.call('channel:history', { channel: channel.id });
      expect(messages).toEqual([tombstone, kept]);
      expect(JSON.stringify(messages)).not.toContain('hello');
    }
    // Someone who joins later, on yet another connection, is shown the same.
    const dave = await userOn(c);
    expect((await dave.call('channel:join', { channel: channel.id })).messages).toEqual([tombstone, kept]);
  });

  it('lets only the author edit or delete, whichever instance the others ask, and changes nothing', async () => {
    const [alice, bob, carol, eve] = await Promise.all([userOn(a), userOn(b), userOn(c), userOn(b)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('authors') });
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });
    const sent = await sendMessage(alice, {
      channel: channel.id,
      text: 'mine',
      clientId: randomUUID(),
    });
    const updates = [alice, bob, carol].map((user) => collect(user.socket, 'message:updated'));

    for (const member of [bob, carol]) {
      expect(
        await member.fail('message:edit', { channel: channel.id, id: sent.id, text: 'yours now' }),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(await member.fail('message:delete', { channel: channel.id, id: sent.id })).toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(await eve.fail('message:delete', { channel: channel.id, id: sent.id })).toMatchObject({
      code: 'NOT_A_MEMBER',
    });

    // A message sent after the refusals has reached every instance: no change went out before it.
    const markerSeen = [next(bob.socket, 'message:new'), next(carol.socket, 'message:new')];
    const marker = await sendMessage(alice, {
      channel: channel.id,
      text: 'marker',
      clientId: randomUUID(),
    });
    expect(await Promise.all(markerSeen)).toEqual([marker, marker]);
    expect(updates).toEqual([[], [], []]);
    for (const user of [alice, bob, carol]) {
      expect((await user.call('channel:history', { channel: channel.id })).messages).toEqual([sent, marker]);
    }
  });

  it('answers two deletes of one message racing on two instances with one tombstone and one NOT_FOUND', async () => {
    const session = await claim(a.url, uniqueName('racer'));
    const [tabA, tabB] = await Promise.all([tabOn(a, session), tabOn(b, session)]);
    const watcher = await userOn(c);
    const { channel } = await tabA.call('channel:create', { name: uniqueName('double-delete') });
    await watcher.call('channel:join', { channel: channel.id });
    const sent = [];
    for (let n = 0; n < 10; n++)
      sent.push(
        await tabA.call('message:send', {
          channel: channel.id,
          text: `delete me ${n}`,
          clientId: randomUUID(),
        }),
      );
    const tombstonesSeen = collect(watcher.socket, 'message:updated');

    // Every message deleted from both tabs at once, so that some pairs really overlap in Redis.
    const races = await Promise.all(
      sent.map((message) =>
        Promise.all([
          ack(tabA.socket, 'message:delete', { channel: channel.id, id: message.id }),
          ack(tabB.socket, 'message:delete', { channel: channel.id, id: message.id }),
        ]),
      ),
    );

    const tombstones = races.map((answers) => {
      const won = answers.flatMap((answer) => (answer.ok ? [answer.data] : []));
      expect(won).toHaveLength(1);
      expect(answers.filter((answer) => !answer.ok)).toEqual([
        { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
      ]);
      return won[0];
    });
    expect(
      tombstones.map((tombstone) => [tombstone.seq, tombstone.text, typeof tombstone.deletedAt]),
    ).toEqual(sent.map((message) => [message.seq, '', 'string']));
    const markerAtC = next(watcher.socket, 'message:new');
    const marker = await sendMessage(tabB, {
      channel: channel.id,
      text: 'marker',
      clientId: randomUUID(),
    });
    expect(await markerAtC).toEqual(marker);
    // One tombstone per message went out to the other instance, none twice.
    expect([...tombstonesSeen].sort((x, y) => x.seq - y.seq)).toEqual(tombstones);
    expect((await watcher.call('channel:history', { channel: channel.id })).messages).toEqual([
      ...tombstones,
      marker,
    ]);
  });

  it("marks a channel read through one instance for the user's tabs on the others, and session:get agrees everywhere", async () => {
    const alice = await userOn(c);
    const bobSession = await claim(a.url, uniqueName('reader'));
    const [bobAtA, bobAtB, bobAtC] = await Promise.all([
      tabOn(a, bobSession),
      tabOn(b, bobSession),
      tabOn(c, bobSession),
    ]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('unread') });
    await bobAtA.call('channel:join', { channel: channel.id });
    const say = (user: TestUser, text: string) =>
      sendMessage(user, { channel: channel.id, text, clientId: randomUUID() });
    await say(alice, 'plain news');
    await say(alice, `hey @${bobSession.user.name}, look`);
    await say(bobAtB, 'my own message is never unread');

    const unread = { channel: channel.id, lastReadSeq: 0, unread: 2, mentions: 1 };
    for (const tab of [bobAtA, bobAtB, bobAtC]) {
      expect((await tab.call('session:get')).readStates).toContainEqual(unread);
    }

    const heardElsewhere = [next(bobAtB.socket, 'channel:read'), next(bobAtC.socket, 'channel:read')];
    const state = await bobAtA.call('channel:read', { channel: channel.id, seq: 2 });
    expect(state).toEqual({ channel: channel.id, lastReadSeq: 2, unread: 0, mentions: 0 });
    expect(await Promise.all(heardElsewhere)).toEqual([state, state]);
    const newTab = await tabOn(b, bobSession);
    for (const tab of [bobAtA, bobAtB, bobAtC, newTab]) {
      expect((await tab.call('session:get')).readStates).toContainEqual(state);
    }

    // The position only moves forward, whichever instance is asked; past the newest it stops there.
    expect(await bobAtB.call('channel:read', { channel: channel.id, seq: 1 })).toEqual(state);
    expect((await bobAtC.call('channel:read', { channel: channel.id, seq: 999 })).lastReadSeq).toBe(3);
    // Alice's counts are her own: Bob's message is unread for her.
    expect((await alice.call('session:get')).readStates).toContainEqual({
      channel: channel.id,
      lastReadSeq: 0,
      unread: 1,
      mentions: 0,
    });
  });
});
