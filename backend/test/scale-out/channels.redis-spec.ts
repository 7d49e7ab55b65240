// Channels across instances: one winner of a contested name, direct conversations opened from either
// side, and leaving felt by every tab and every member wherever they are connected.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { ack, collect, next, sendMessage, settle, uniqueName } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import { claim, eventually, type FlackInstance } from './support/flack-instance.js';

describe('channels on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { userOn, tabOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('lets exactly one of many concurrent creations of a channel win, across instances', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => userOn([a, b, c][i % 3])));
    const base = uniqueName('contested');
    const answers = await Promise.all(
      users.map((user, i) =>
        ack(user.socket, 'channel:create', { name: i % 2 === 0 ? base : base.toUpperCase() }),
      ),
    );
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.error.code)).toEqual(
      Array.from({ length: 11 }, () => 'CHANNEL_EXISTS'),
    );
    for (const user of users.slice(0, 3)) {
      const listed = (await user.call('channel:list')).filter((channel) => channel.id === base.toLowerCase());
      expect(listed).toHaveLength(1);
      expect(listed[0].members).toBe(1);
    }
  });

  it('opens one direct conversation from either side on different instances, known to the two only', async () => {
    const aliceSession = await claim(a.url, uniqueName('alice'));
    const [aliceAtA, aliceAtC, bob, eveAtA, eveAtC] = await Promise.all([
      tabOn(a, aliceSession),
      tabOn(c, aliceSession),
      userOn(b),
      userOn(a),
      userOn(c),
    ]);
    const alice = aliceSession.user;
    const joined = [aliceAtA, aliceAtC, bob].map((tab) => collect(tab.socket, 'channel:joined'));
    const eveHears = [eveAtA, eveAtC].flatMap((eve) =>
      (['channel:joined', 'channel:created', 'message:new'] as const).map((event) =>
        collect(eve.socket, event),
      ),
    );

    const [fromAlice, fromBob] = await Promise.all([
      aliceAtA.call('dm:open', { userId: bob.id }),
      bob.call('dm:open', { userId: alice.id }),
    ]);
    const { channel } = fromAlice;
    expect(fromBob.channel.id).toBe(channel.id);
    expect(channel.dm?.map((user) => user.id).sort()).toEqual([alice.id, bob.id].sort());
    await eventually('every tab of both to be told', async () => joined.every((seen) => seen.length > 0));
    // Opened again from the third instance: still the same conversation.
    expect((await aliceAtC.call('dm:open', { userId: bob.id })).channel.id).toBe(channel.id);

    const atAlice = [next(aliceAtA.socket, 'message:new'), next(aliceAtC.socket, 'message:new')];
    const sent = await sendMessage(bob, {
      channel: channel.id,
      text: 'just us',
      clientId: randomUUID(),
    });
    expect(await Promise.all(atAlice)).toEqual([sent, sent]);
    // Each tab was told once, however many times the conversation was opened.
    expect(joined.map((seen) => seen.map((told) => told.id))).toEqual([
      [channel.id],
      [channel.id],
      [channel.id],
    ]);
    await settle(eveAtA, eveAtC);
    expect(eveHears).toEqual([[], [], [], [], [], []]);

    for (const eve of [eveAtA, eveAtC]) {
      for (const attempt of [
        eve.fail('channel:join', { channel: channel.id }),
        eve.fail('channel:history', { channel: channel.id }),
        eve.fail('message:send', { channel: channel.id, text: 'let me in', clientId: randomUUID() }),
      ]) {
        expect(await attempt).toMatchObject({ code: 'NOT_FOUND' });
      }
      expect((await eve.call('session:get')).channels.map((listed) => listed.id)).not.toContain(channel.id);
    }
    for (const instance of [a, b, c]) {
      const listed = (await (await fetch(`${instance.url}/api/channels`)).json()) as { id: string }[];
      expect(listed.map((entry) => entry.id)).not.toContain(channel.id);
    }
    for (const person of [aliceAtC, bob]) {
      expect((await person.call('session:get')).joined).toContain(channel.id);
      expect((await person.call('channel:history', { channel: channel.id })).messages).toEqual([sent]);
    }
  });

  it('stops delivery to every tab of a user who leaves through one instance, and tells the members on all', async () => {
    const bobSession = await claim(b.url, uniqueName('leaver'));
    const bobTabs = await Promise.all([tabOn(a, bobSession), tabOn(b, bobSession), tabOn(c, bobSession)]);
    const [bobAtA, bobAtB, bobAtC] = bobTabs;
    // Someone who stays, on each instance.
    const stayers = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await stayers[0].call('channel:create', { name: uniqueName('leaving') });
    await stayers[1].call('channel:join', { channel: channel.id });
    await stayers[2].call('channel:join', { channel: channel.id });
    const bobJoined = [bobAtB, bobAtC].map((tab) => next(tab.socket, 'channel:joined'));
    await bobAtA.call('channel:join', { channel: channel.id });
    await Promise.all(bobJoined);
    // Every tab of Bob receives, before he leaves.
    const before = bobTabs.map((tab) => next(tab.socket, 'message:new'));
    const first = await sendMessage(stayers[2], {
      channel: channel.id,
      text: 'before',
      clientId: randomUUID(),
    });
    expect(await Promise.all(before)).toEqual([first, first, first]);

    const membership = stayers.map((stayer) => collect(stayer.socket, 'channel:membership'));
    const left = bobTabs.map((tab) => next(tab.socket, 'channel:left'));
    await bobAtB.call('channel:leave', { channel: channel.id });
    expect(await Promise.all(left)).toEqual(bobTabs.map(() => ({ channel: channel.id })));
    await eventually('the members on every instance to be told', async () =>
      membership.every((seen) => seen.length > 0),
    );
    expect(membership).toEqual(
      stayers.map(() => [{ channel: channel.id, user: bobSession.user, joined: false }]),
    );

    const bobHears = bobTabs.map((tab) => collect(tab.socket, 'message:new'));
    const seenByStayers = stayers.map((stayer) => collect(stayer.socket, 'message:new'));
    const after: Message[] = [];
    for (const stayer of stayers)
      after.push(await sendMessage(stayer, { channel: channel.id, text: 'after', clientId: randomUUID() }));
    await eventually('every message to reach the members on every instance', async () =>
      seenByStayers.every((seen) => after.every((message) => seen.some((got) => got.id === message.id))),
    );
    await settle(...bobTabs);
    expect(bobHears).toEqual([[], [], []]);

    expect(
      await bobAtC.fail('message:send', { channel: channel.id, text: 'x', clientId: randomUUID() }),
    ).toMatchObject({
      code: 'NOT_A_MEMBER',
    });
    expect(await bobAtA.fail('channel:history', { channel: channel.id })).toMatchObject({
      code: 'NOT_A_MEMBER',
    });
    expect((await bobAtC.call('session:get')).joined).not.toContain(channel.id);
    for (const stayer of stayers) {
      expect((await stayer.call('channel:list')).find((listed) => listed.id === channel.id)?.members).toBe(3);
      expect(
        (await stayer.call('channel:members', { channel: channel.id })).map((member) => member.id).sort(),
      ).toEqual(stayers.map((member) => member.id).sort());
    }
  });
});
