// Flack through Redis Sentinel (REDIS_SENTINELS), with two instances: a claim and a message work as
// on one node, and after a failover to the replica both instances serve again on the new master,
// with the same data (the epoch survives, so nobody is dropped).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { connected, next, sendMessage, TestUser, uniqueName } from '../support/test-app.js';
import { claim, eventually, FlackInstance, health, post, socketTo } from './support/flack-instance.js';
import { RedisSentinelServer } from './support/redis-sentinel-server.js';

describe('two instances on Redis through Sentinel', () => {
  let redis: RedisSentinelServer;
  let a: FlackInstance;
  let b: FlackInstance;
  const users: TestUser[] = [];

  const userOn = async (instance: FlackInstance): Promise<TestUser> => {
    const session = await claim(instance.url, uniqueName('user'));
    const user = new TestUser(session, await connected(socketTo(instance.url, session.token)));
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    redis = await RedisSentinelServer.start();
    [a, b] = await Promise.all(
      ['a', 'b'].map((name) => FlackInstance.start(name, { REDIS_SENTINELS: redis.sentinels })),
    );
  }, 60_000);

  afterAll(async () => {
    for (const user of users) user.socket.disconnect();
    await Promise.all([a, b].map((instance) => instance?.kill()));
    await redis?.destroy();
  });

  it('claims a name once and delivers a message across instances, and again after a failover', async () => {
    const name = uniqueName('claimed');
    const answers = await Promise.all(
      [a, b].map((instance) => post(instance.url, '/api/sessions', { name })),
    );
    expect(answers.map(({ status }) => status).sort()).toEqual([201, 409]);

    const [alice, bob] = await Promise.all([userOn(a), userOn(b)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('watched') });
    await bob.call('channel:join', { channel: channel.id });
    const atBob = next(bob.socket, 'message:new');
    const before = await sendMessage(alice, { channel: channel.id, text: 'before', clientId: randomUUID() });
    expect(await atBob).toEqual(before);

    let shutdowns = 0;
    for (const user of [alice, bob]) user.socket.on('server:shutdown', () => shutdowns++);
    const oldMaster = await redis.masterPort();
    expect(await redis.failover()).not.toBe(oldMaster);
    await eventually('both instances to be healthy on the new master', async () =>
      (await Promise.all([a, b].map((instance) => health(instance.url)))).every((status) => status === 200),
    );

    // An event may still meet the switch; the app would resend it with its clientId.
    const clientId = randomUUID();
    const again = next(bob.socket, 'message:new');
    let after: Message | undefined;
    await eventually('a message to be accepted after the failover', async () => {
      after = await sendMessage(alice, { channel: channel.id, text: 'after', clientId }).catch(
        () => undefined,
      );
      return after !== undefined;
    });
    expect(await again).toEqual(after);
    expect(after!.seq).toBe(2);
    expect((await bob.call('channel:history', { channel: channel.id })).messages).toEqual([before, after]);
    expect(shutdowns).toBe(0);
  }, 40_000);
});
