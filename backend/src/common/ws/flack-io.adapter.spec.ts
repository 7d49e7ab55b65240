import type { MessageMappingProperties } from '@nestjs/websockets';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { FlackIoAdapter } from './flack-io.adapter.js';
import { HotPaths } from './hot-path.js';

type AnyListener = (event: string, ...args: unknown[]) => void;

/**
 * A socket as far as binding handlers goes: `onAny` and `on` listeners (called with the socket as
 * `this`, as Socket.IO does), `receive` to play an event in and `drop` to play a disconnect.
 */
function fakeSocket() {
  const listeners: AnyListener[] = [];
  const onDisconnect: ((reason: string) => void)[] = [];
  type Fake = Socket & {
    receive: (event: string, ...args: unknown[]) => void;
    drop: (reason: string) => void;
  };
  const socket: Fake = Object.assign(
    {
      onAny: (listener: AnyListener) => listeners.push(listener),
      on: (event: string, listener: (reason: string) => void) => {
        if (event === 'disconnect') onDisconnect.push(listener);
        return socket;
      },
    } as unknown as Socket,
    {
      receive: (event: string, ...args: unknown[]) =>
        listeners.forEach((listener) => listener.call(socket, event, ...args)),
      drop: (reason: string) => onDisconnect.forEach((listener) => listener.call(socket, reason)),
    },
  );
  return socket;
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FlackIoAdapter handler binding', () => {
  let httpServer: HttpServer;
  let server: Server | undefined;
  const hotRoute = jest.fn(async (_socket: Socket, payload: unknown) => ({ ok: true, data: payload }));

  /** An adapter over a bare HTTP server whose app answers `HotPaths` with one hot event. */
  function adapterFor(options: { hotPaths?: boolean } = {}): FlackIoAdapter {
    const hotPaths = { route: (event: string) => (event === 'message:send' ? hotRoute : undefined) };
    // Socket.IO attaches to the HTTP server; `get` answers HotPaths, and "no Redis" for the rest.
    httpServer = Object.assign(createServer(), {
      get: (token: unknown) => (token === HotPaths ? hotPaths : null),
    });
    const adapter = new FlackIoAdapter(httpServer as unknown as INestApplicationContext, options);
    server = adapter.createIOServer(0);
    return adapter;
  }

  beforeEach(() => {
    hotRoute.mockClear();
  });
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers a @HotPath() event through its hot route, not Nest’s callback', async () => {
    const adapter = adapterFor();
    const socket = fakeSocket();
    const nest = jest.fn();
    adapter.bindMessageHandlers(socket, [handler('message:send', nest)], undefined as never);
    const ack = jest.fn();
    socket.receive('message:send', { text: 'hi' }, ack);
    await tick();
    expect(hotRoute).toHaveBeenCalledWith(socket, { text: 'hi' });
    expect(nest).not.toHaveBeenCalled();
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith({ ok: true, data: { text: 'hi' } });
  });

  it('takes Nest’s pipeline for every event when hot paths are off', async () => {
    const adapter = adapterFor({ hotPaths: false });
    const socket = fakeSocket();
    const nest = jest.fn(async () => ({ ok: true, data: 'through Nest' }));
    adapter.bindMessageHandlers(socket, [handler('message:send', nest)], undefined as never);
    const ack = jest.fn();
    socket.receive('message:send', { text: 'hi' }, ack);
    await tick();
    expect(hotRoute).not.toHaveBeenCalled();
    expect(ack).toHaveBeenCalledWith({ ok: true, data: 'through Nest' });
  });

  it('logs a handler that fails instead of answering, and sends no ack', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const adapter = adapterFor();
    const socket = fakeSocket();
    adapter.bindMessageHandlers(
      socket,
      [
        handler('channel:list', async () => {
          throw new Error('bug');
        }),
      ],
      undefined as never,
    );
    const ack = jest.fn();
    socket.receive('channel:list', ack);
    await tick();
    expect(ack).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });

  it('hands a handler its payload whether or not the client asked for an ack', async () => {
    const adapter = adapterFor({ hotPaths: false });
    const socket = fakeSocket();
    const nest = jest.fn(async (_data: unknown) => ({ ok: true }));
    adapter.bindMessageHandlers(socket, [handler('channel:join', nest)], undefined as never);
    socket.receive('channel:join', { channel: 'general' });
    socket.receive('channel:join', { channel: 'random' }, jest.fn());
    await tick();
    expect(nest.mock.calls.map(([data]) => data)).toEqual([{ channel: 'general' }, { channel: 'random' }]);
  });

  it('calls each gateway’s handlers for their own events, and acks what they return', async () => {
    const adapter = adapterFor();
    const socket = fakeSocket();
    const chat = [handler('channel:list', async () => ({ ok: true, data: [] }))];
    const manual = jest.fn((_data: unknown, ack: unknown) => (ack as (r: unknown) => void)('by hand'));
    const presence = [handler('typing:start', manual, true)];
    adapter.bindMessageHandlers(socket, chat, undefined as never);
    adapter.bindMessageHandlers(socket, presence, undefined as never);
    const listAck = jest.fn();
    const typingAck = jest.fn();
    socket.receive('channel:list', listAck);
    socket.receive('typing:start', { channel: 'general' }, typingAck);
    socket.receive('no:such-event', jest.fn());
    await tick();
    expect(listAck).toHaveBeenCalledWith({ ok: true, data: [] });
    expect(manual).toHaveBeenCalledWith({ channel: 'general' }, typingAck);
    expect(typingAck).toHaveBeenCalledTimes(1);
    expect(typingAck).toHaveBeenCalledWith('by hand');
  });

  it('tells every gateway of a disconnect once, in the order they asked, from one listener', () => {
    const adapter = adapterFor();
    const socket = fakeSocket();
    const heard: string[] = [];
    adapter.bindClientDisconnect(socket, (reason) => heard.push(`sessions: ${String(reason)}`));
    adapter.bindClientDisconnect(socket, (reason) => heard.push(`presence: ${String(reason)}`));
    socket.drop('transport close');
    expect(heard).toEqual(['sessions: transport close', 'presence: transport close']);
  });
});

/** What Nest hands the adapter for one `@SubscribeMessage` handler. */
function handler(
  message: string,
  callback: (...args: never[]) => unknown,
  isAckHandledManually = false,
): MessageMappingProperties & { isAckHandledManually: boolean } {
  return { message, methodName: message, callback, isAckHandledManually } as MessageMappingProperties & {
    isAckHandledManually: boolean;
  };
}
