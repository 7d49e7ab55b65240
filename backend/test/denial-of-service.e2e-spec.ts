import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS } from '@flack/contract';
import type { Server } from 'socket.io';
import { SessionGateway } from '../src/sessions/session.gateway.js';
import { ack, eventually, send, TestServer, uniqueName } from './support/test-app.js';

/** The TCP connection under a socket.io-client socket in Node (engine.io-client over `ws`). */
type Paused = { io: { engine: { transport: { ws?: { _socket?: { pause(): void } } } } } };

describe('one client cannot tie the server up', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start();
  });
  afterAll(() => server.stop());

  it('a client that stops reading is disconnected once too much waits for it; the server does not hold every answer', async () => {
    const writer = await server.user(uniqueName('writer'));
    const channel = (await writer.call('channel:create', { name: uniqueName('big') })).channel.id;
    const long = 'x'.repeat(LIMITS.messageMaxLength);
    for (let i = 0; i < LIMITS.historySize; i++) await send(writer, channel, long);

    const reader = await server.user(uniqueName('reader'));
    await reader.call('channel:join', { channel });
    const io = (server.app.get(SessionGateway) as unknown as { server: Server }).server;
    const before = io.of('/').sockets.size;
    (reader.socket as unknown as Paused).io.engine.transport.ws!._socket!.pause();
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;

    // Each answer is the whole history (about 200 kB): 300 of them is 60 MB it never reads.
    for (let i = 0; i < 300; i++) reader.socket.emit('channel:history', { channel }, () => undefined);

    await eventually('the reader to be let go', () => io.of('/').sockets.size === before - 1, 10_000);
    const grown = process.memoryUsage().rss - rssBefore;
    expect(grown).toBeLessThan(40 * 1024 * 1024);
    // Everyone else carries on.
    expect(await writer.call('channel:list')).toEqual(expect.any(Array));
  });

  it('a frame nested 30,000 deep closes only its own connection', async () => {
    const bystander = await server.user(uniqueName('bystander'));
    const attacker = await server.user(uniqueName('attacker'));
    const closed = new Promise((resolve) => attacker.socket.once('disconnect', resolve));
    // Written as it is: socket.io-client itself cannot encode that many levels.
    const engine = (attacker.socket.io as unknown as { engine: { write(data: string): void } }).engine;
    engine.write(`421["message:send",${'['.repeat(30_000)}${']'.repeat(30_000)}]`);
    expect(await closed).toBe('transport close');
    expect(await bystander.call('channel:list')).toEqual(expect.any(Array));
  });

  it('rate-limits history and joining, which each cost the server (and every member) more than a message', async () => {
    const limited = await TestServer.start({
      HISTORY_REQUESTS_PER_MINUTE: '3',
      CHANNEL_JOINS_PER_MINUTE: '2',
    });
    try {
      const owner = await limited.user(uniqueName('owner'));
      const channel = (await owner.call('channel:create', { name: uniqueName('limited') })).channel.id;
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) {
        const answer = await ack(owner.socket, 'channel:history', { channel });
        codes.push(answer.ok ? 'ok' : answer.error.code);
      }
      expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
      const visitor = await limited.user(uniqueName('visitor'));
      await visitor.call('channel:join', { channel });
      await visitor.call('channel:leave', { channel });
      expect(await visitor.fail('channel:join', { channel })).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringContaining('joining and leaving'),
      });
    } finally {
      await limited.stop();
    }
  });
});
