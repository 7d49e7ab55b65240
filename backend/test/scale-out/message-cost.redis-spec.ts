// What one `message:send` costs Redis, counted command by command with Redis's own MONITOR: the
// rate limiter, one script (channel, membership, dedup, append, trim, count) and the adapter's
// publish, whatever the number of channels the sender is in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SendMessagePayload } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { plainBytes, uploaded } from '../support/files.js';
import { connected, next, settle, TestUser, uniqueName } from '../support/test-app.js';
import { CommandCounter, type CommandCount } from './support/command-counter.js';
import { claim, FlackInstance, socketTo } from './support/flack-instance.js';
import { RedisServer } from './support/redis-server.js';

/** What a maintainer compares: the top-level commands by name, and how many ran inside scripts. */
const names = ({ topLevel, inScripts }: CommandCount) => ({
  topLevel: topLevel.map(({ name }) => name),
  inScripts: inScripts.length,
});

/** Commands as `NAME first-arg` lines, to see in the log what was sent. */
const listed = ({ topLevel, inScripts }: CommandCount) => ({
  topLevel: topLevel.map(({ name, args }) => `${name} ${args[0] ?? ''}`),
  inScripts: inScripts.map(({ name, args }) => `${name} ${args[0] ?? ''}`),
});

describe('the Redis cost of a message', () => {
  let redis: RedisServer;
  let a: FlackInstance;
  let b: FlackInstance;
  let counter: CommandCounter;
  const sockets: TestUser[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    // The production message limits (a burst limiter beside the steady one), so the rate limiter is
    // counted as it runs in production.
    const env = { REDIS_URL: redis.url, MESSAGE_RATE_PER_SECOND: '5', MESSAGE_BURST: '20' };
    [a, b] = await Promise.all([FlackInstance.start('a', env), FlackInstance.start('b', env)]);
    counter = await CommandCounter.start(redis.url);
  }, 60_000);

  afterAll(async () => {
    for (const user of sockets) user.socket.disconnect();
    await counter?.stop();
    await Promise.all([a?.kill(), b?.kill()]);
    await redis?.destroy();
  });

  async function userOn(instance: FlackInstance): Promise<TestUser> {
    const session = await claim(instance.url, uniqueName('user'));
    const user = new TestUser(session, await connected(socketTo(instance.url, session.token)));
    sockets.push(user);
    return user;
  }

  /**
   * Alice (on a) in `joined` channels, Bob (on b) in the last one with her, where they talk: the
   * message crosses instances, as most do behind a balancer.
   */
  async function talking(joined: number): Promise<{ alice: TestUser; bob: TestUser; channel: string }> {
    const [alice, bob] = await Promise.all([userOn(a), userOn(b)]);
    let channel = '';
    for (let i = 0; i < joined; i++)
      channel = (await alice.call('channel:create', { name: uniqueName('c') })).channel.id;
    await bob.call('channel:join', { channel });
    await settle(alice, bob);
    return { alice, bob, channel };
  }

  /**
   * What `action` costs, measured three times (each after its own `prepare`, not counted) after
   * one uncounted run: the fewest commands seen. The first run loads its scripts (a script's first
   * run is sent whole once Redis answers NOSCRIPT); each instance's periodic work (the presence
   * heartbeat every 2 s, the upload sweep) may land inside one measurement, not in all three.
   */
  async function costOf(
    action: (prepared: string) => Promise<unknown>,
    prepare: () => Promise<string> = async () => '',
  ): Promise<CommandCount> {
    let fewest: CommandCount | undefined;
    // Once uncounted first, so that every script it runs is loaded on Redis already.
    await action(await prepare());
    for (let run = 0; run < 3; run++) {
      const prepared = await prepare();
      const cost = await counter.during(() => action(prepared));
      const fewer = (x: CommandCount, y: CommandCount) =>
        x.topLevel.length - y.topLevel.length || x.inScripts.length - y.inScripts.length;
      if (!fewest || fewer(cost, fewest) < 0) fewest = cost;
    }
    return fewest!;
  }

  /** One message from Alice, counted until Bob, on the other instance, has it live. */
  const sending =
    (
      alice: TestUser,
      bob: TestUser,
      channel: string,
      clientId?: string,
      extra: Partial<SendMessagePayload> = {},
    ) =>
    async () => {
      const atBob = next(bob.socket, 'message:new');
      await alice.call('message:send', {
        channel,
        text: 'hello',
        clientId: clientId ?? randomUUID(),
        ...extra,
      });
      await atBob;
    };

  it('a message costs 3 commands, the same with 1 and with 50 channels joined', async () => {
    const few = await talking(1);
    const many = await talking(50);
    const withOne = await costOf(sending(few.alice, few.bob, few.channel));
    const withFifty = await costOf(sending(many.alice, many.bob, many.channel));
    console.log('a message, 1 channel joined:', JSON.stringify(listed(withOne)));
    // The rate limiter, the send script, the adapter's publish.
    expect(names(withOne).topLevel).toEqual(['EVALSHA', 'EVALSHA', 'XADD']);
    expect(names(withFifty)).toEqual(names(withOne));
  });

  it('a retry of a message in the history costs 3 commands, and is delivered again', async () => {
    const { alice, bob, channel } = await talking(1);
    const clientId = randomUUID();
    await sending(alice, bob, channel, clientId)();
    const retry = await costOf(sending(alice, bob, channel, clientId));
    console.log('a duplicate retry:', JSON.stringify(listed(retry)));
    // The rate limiter, the send script (which finds its receipt in the window, then the message in
    // the history), the adapter's publish.
    expect(names(retry).topLevel).toEqual(['EVALSHA', 'EVALSHA', 'XADD']);
    expect((await bob.call('channel:history', { channel })).messages).toHaveLength(1);
  });

  /** Six others of `channel`, on b, send 102 messages: each within the production limit's burst of 20. */
  async function fillHistory(channel: string): Promise<void> {
    const others = await Promise.all(Array.from({ length: 6 }, () => userOn(b)));
    for (const other of others) await other.call('channel:join', { channel });
    await Promise.all(
      others.map(async (other) => {
        for (let i = 0; i < 17; i++)
          await other.call('message:send', { channel, text: 'x', clientId: randomUUID() });
      }),
    );
  }

  it('a message past the 100th costs the same 3: what it pushes out had no files to free', async () => {
    const { alice, bob, channel } = await talking(1);
    await fillHistory(channel);
    const past = await costOf(sending(alice, bob, channel));
    console.log('a message past the 100th:', JSON.stringify(listed(past)));
    expect(names(past).topLevel).toEqual(['EVALSHA', 'EVALSHA', 'XADD']);
  });

  it('a retry of a send older than the history costs 2 commands: acknowledged, not published', async () => {
    const { alice, channel } = await talking(1);
    const old = { channel, text: 'long ago', clientId: randomUUID() };
    const ack = await alice.call('message:send', old);
    await fillHistory(channel);
    const retry = await costOf(async () => expect(await alice.call('message:send', old)).toEqual(ack));
    console.log('a retry older than the history:', JSON.stringify(listed(retry)));
    // The rate limiter and the send script, which answers the receipt: no publish.
    expect(names(retry).topLevel).toEqual(['EVALSHA', 'EVALSHA']);
  });

  it('a reply or a file costs its lookups on top: the membership check first, then the original or the claim', async () => {
    // Each from a sender of their own, so that none goes over the steady rate into the burst limiter.
    const [first, second, third] = [await talking(1), await talking(1), await talking(1)];
    const plain = await costOf(sending(first.alice, first.bob, first.channel));
    const original = await second.alice.call('message:send', {
      channel: second.channel,
      text: 'question',
      clientId: randomUUID(),
    });
    const reply = await costOf(
      sending(second.alice, second.bob, second.channel, undefined, { replyTo: original.id }),
    );
    const withFile = await costOf(
      (file) => sending(third.alice, third.bob, third.channel, undefined, { files: [file] })(),
      async () => (await uploaded(a, third.alice.session.token, plainBytes(10), { name: 'note.txt' })).id,
    );
    console.log('a reply:', JSON.stringify(listed(reply)));
    console.log('a message with a file:', JSON.stringify(listed(withFile)));
    // requireMembership (2 commands today), then the original's lookup (1 script).
    expect(reply.topLevel.length).toBeLessThanOrEqual(plain.topLevel.length + 3);
    // The same check, the claim script before the append, and files' attach script on message.stored.
    expect(withFile.topLevel.length).toBeLessThanOrEqual(plain.topLevel.length + 4);
  });

  it('a message from a non-member is refused in 2 commands and writes nothing', async () => {
    const { alice, bob, channel } = await talking(1);
    await sending(alice, bob, channel)();
    const carol = await userOn(a);
    const refusal = await costOf(async () => {
      const error = await carol.fail('message:send', { channel, text: 'let me in', clientId: randomUUID() });
      expect(error.code).toBe('NOT_A_MEMBER');
    });
    console.log('a non-member:', JSON.stringify(listed(refusal)));
    // The rate limiter and the send script, which only reads the channel and its members.
    expect(refusal.topLevel).toHaveLength(2);
    const onTheChannel = refusal.inScripts.filter(({ args }) => args[0]?.includes(`channel:${channel}`));
    expect(onTheChannel.map(({ name }) => name)).toEqual(['HMGET', 'SISMEMBER']);
    expect((await bob.call('channel:history', { channel })).messages).toHaveLength(1);
  });
});
