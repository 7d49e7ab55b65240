// Files across instances sharing one Redis: uploaded to one, served by another, counted against one
// quota, and gone everywhere with their message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@flack/contract';
import { connected, eventually, sendMessage, TestUser, uniqueName } from '../support/test-app.js';
import { download, plainBytes, png, upload, uploaded } from '../support/files.js';
import { claim, FlackInstance, socketTo } from './support/flack-instance.js';
import { RedisServer } from './support/redis-server.js';

describe('files on two instances sharing one Redis', () => {
  let redis: RedisServer;
  let a: FlackInstance;
  let b: FlackInstance;
  const users: TestUser[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    const env = {
      REDIS_URL: redis.url,
      DEFAULT_CHANNELS: '',
      FILES_MAX_BYTES_PER_USER: String(3 * 1024 * 1024),
      FILE_UPLOADS_PER_MINUTE: '1000',
      // Enough to fill a history quickly.
      MESSAGE_RATE_PER_SECOND: '1000',
      MESSAGE_BURST: '1000',
    };
    [a, b] = await Promise.all([FlackInstance.start('a', env), FlackInstance.start('b', env)]);
  }, 60_000);

  afterAll(async () => {
    for (const user of users) user.socket.disconnect();
    await Promise.all([a?.kill(), b?.kill()]);
    await redis?.destroy();
  });

  async function userOn(instance: FlackInstance, name: string): Promise<TestUser> {
    const session = await claim(instance.url, uniqueName(name));
    const user = new TestUser(session, await connected(socketTo(instance.url, session.token)));
    users.push(user);
    return user;
  }

  it('serves a file uploaded to one instance from the other, to members only', async () => {
    const [ada, bob, cy] = [await userOn(a, 'ada'), await userOn(b, 'bob'), await userOn(b, 'cy')];
    const { channel } = await ada.call('channel:create', { name: uniqueName('shared') });
    await bob.call('channel:join', { channel: channel.id });

    // Larger than one stored piece (1 MiB), so the pieces come back whole and in order.
    const big = Buffer.alloc(2.5 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const file = await uploaded(a, ada.session.token, big, { name: 'big.bin' });
    const image = await uploaded(a, ada.session.token, await png(900, 300), {
      name: 'Ünïcode "quoted" \\ 📄.png',
    });
    expect((await download(b, file.id, { token: ada.session.token })).bytes.equals(big)).toBe(true);

    const sent = await sendMessage(ada, {
      channel: channel.id,
      text: 'from a',
      clientId: randomUUID(),
      files: [file.id, image.id],
    });
    expect(sent.files).toEqual([file, image]);
    // A reaction rewrites the stored message in a script; its files come through unchanged.
    const reacted = await bob.call('message:react', { channel: channel.id, id: sent.id, emoji: '👍' });
    expect(reacted.files).toEqual([file, image]);
    expect((await bob.call('channel:history', { channel: channel.id })).messages.at(-1)?.files).toEqual([
      file,
      image,
    ]);
    const atB = await download(b, file.id, { token: bob.session.token });
    expect(atB.status).toBe(200);
    expect(atB.bytes.equals(big)).toBe(true);
    const thumbnail = await download(b, image.id, { token: bob.session.token }, 'thumbnail');
    expect(thumbnail.headers.get('content-type')).toBe('image/png');
    expect((await download(b, file.id, { token: cy.session.token })).status).toBe(404);

    await ada.call('message:delete', { channel: channel.id, id: sent.id });
    for (const instance of [a, b]) {
      expect((await download(instance, file.id, { token: bob.session.token })).status).toBe(404);
      expect((await download(instance, image.id, { token: ada.session.token })).status).toBe(404);
    }
  });

  it('frees a file when its message leaves the history, the 101st sent through the other instance', async () => {
    const [ada, bob] = [await userOn(a, 'ada'), await userOn(b, 'bob')];
    const { channel } = await ada.call('channel:create', { name: uniqueName('busy') });
    await bob.call('channel:join', { channel: channel.id });
    const file = await uploaded(a, ada.session.token, plainBytes(300), { name: 'old.txt' });
    await sendMessage(ada, { channel: channel.id, text: 'first', clientId: randomUUID(), files: [file.id] });
    const kept = await uploaded(a, ada.session.token, plainBytes(200), { name: 'kept.txt' });
    await sendMessage(ada, { channel: channel.id, text: 'second', clientId: randomUUID(), files: [kept.id] });
    for (let i = 2; i < LIMITS.historySize; i++) {
      await bob.call('message:send', { channel: channel.id, text: `m${i}`, clientId: randomUUID() });
    }
    expect((await download(a, file.id, { token: ada.session.token })).status).toBe(200);

    await bob.call('message:send', { channel: channel.id, text: 'the 101st', clientId: randomUUID() });
    await eventually(
      'the first message’s file to go',
      async () => (await download(a, file.id, { token: ada.session.token })).status === 404,
    );
    expect((await download(b, file.id, { token: bob.session.token })).status).toBe(404);
    expect((await download(b, kept.id, { token: bob.session.token })).status).toBe(200);
  });

  it("counts one person's uploads to every instance against one quota", async () => {
    const dee = await userOn(a, 'dee');
    expect((await upload(a, dee.session.token, plainBytes(2 * 1024 * 1024))).status).toBe(201);
    const over = await upload(b, dee.session.token, plainBytes(1024 * 1024 + 1));
    expect(over.status).toBe(413);
    expect(over.body.code).toBe('QUOTA_EXCEEDED');
    expect((await upload(b, dee.session.token, plainBytes(1024 * 1024))).status).toBe(201);
  });
});
