// Sessions across instances: one name for one claimant, every tab of a user in step wherever it is
// connected, and a name held while any instance has a tab of its session.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connected, next, sendMessage, TestUser, uniqueName } from '../support/test-app.js';
import { Cluster, RESERVATION_SECONDS } from './support/cluster.js';
import { claim, eventually, post, socketTo, type FlackInstance } from './support/flack-instance.js';

describe('sessions on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { open, userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('lets exactly one of many concurrent claims of a name win, across instances', async () => {
    const base = uniqueName('racer');
    const variants = [base, base.toUpperCase(), base[0].toUpperCase() + base.slice(1)];
    const attempts = Array.from({ length: 30 }, (_, i) =>
      post([a, b, c][i % 3].url, '/api/sessions', { name: variants[i % variants.length] }),
    );
    const answers = await Promise.all(attempts);
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused.map((answer) => (answer.body as { code: string }).code)).toEqual(
      refused.map(() => 'NAME_TAKEN'),
    );
  });

  it("keeps a user's tabs on different instances in step, down to forgetting the session", async () => {
    const session = await claim(a.url, uniqueName('tabs'));
    const tabA = new TestUser(session, await connected(open(socketTo(a.url, session.token))));
    const tabB = new TestUser(session, await connected(open(socketTo(b.url, session.token))));
    const other = await userOn(c);

    const joinedAtB = next(tabB.socket, 'channel:joined');
    const { channel } = await tabA.call('channel:create', { name: uniqueName('in-step') });
    expect(await joinedAtB).toEqual(channel);
    await other.call('channel:join', { channel: channel.id });
    // tab B was put in the channel's room by instance a, through the adapter.
    const atB = next(tabB.socket, 'message:new');
    const sent = await sendMessage(other, {
      channel: channel.id,
      text: 'to both tabs',
      clientId: randomUUID(),
    });
    expect(await atB).toEqual(sent);

    const endedAtB = next(tabB.socket, 'session:ended');
    const disconnectedB = new Promise((resolve) => tabB.socket.once('disconnect', resolve));
    await tabA.call('session:forget');
    await endedAtB;
    expect(await disconnectedB).toBe('io server disconnect');
    expect((await post(c.url, '/api/sessions', { name: session.user.name })).status).toBe(201);
  });

  it('holds a name while any instance has a tab of its session, and releases it after the last', async () => {
    const name = uniqueName('held');
    const session = await claim(a.url, name);
    const tabA = await connected(open(socketTo(a.url, session.token)));
    const tabB = await connected(open(socketTo(b.url, session.token)));

    tabA.disconnect();
    await new Promise((resolve) => setTimeout(resolve, (RESERVATION_SECONDS + 1) * 1000));
    // Still connected on b: the reservation has not even started.
    expect((await post(c.url, '/api/sessions', { name })).status).toBe(409);

    tabB.disconnect();
    await eventually(
      'the name to be free',
      async () => (await post(c.url, '/api/sessions', { name })).status === 201,
    );
  });
});
