import type { MessageMappingProperties } from '@nestjs/websockets';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { FlackIoAdapter } from './flack-io.adapter.js';

type AnyListener = (event: string, ...args: unknown[]) => void;

/** A socket as far as binding handlers goes: `onAny` listeners, and `receive` to play an event in. */
function fakeSocket() {
  const listeners: AnyListener[] = [];
  return Object.assign({ onAny: (listener: AnyListener) => listeners.push(listener) } as unknown as Socket, {
    receive: (event: string, ...args: unknown[]) => listeners.forEach((listener) => listener(event, ...args)),
  });
}
const noHandlers = () => [] as never[];
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FlackIoAdapter direct handlers', () => {
  let httpServer: HttpServer;
  let adapter: FlackIoAdapter;
  let server: Server;

  beforeEach(() => {
    // Socket.IO attaches to the HTTP server; `get` answers "no Redis".
    httpServer = Object.assign(createServer(), { get: () => null });
    adapter = new FlackIoAdapter(httpServer as unknown as INestApplicationContext);
    server = adapter.createIOServer(0);
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers the event with what the handler resolves to, through the ack', async () => {
    const handler = jest.fn(async (_socket: Socket, payload: unknown) => ({ ok: true, data: payload }));
    FlackIoAdapter.handleDirectly(server, 'message:send', handler);
    const socket = fakeSocket();
    adapter.bindMessageHandlers(socket, noHandlers(), undefined as never);
    const ack = jest.fn();
    socket.receive('message:send', { text: 'hi' }, ack);
    await tick();
    expect(handler).toHaveBeenCalledWith(socket, { text: 'hi' });
    expect(ack).toHaveBeenCalledWith({ ok: true, data: { text: 'hi' } });
  });

  it('binds a direct handler once per socket, however many gateways bind theirs', async () => {
    const handler = jest.fn(async () => ({ ok: true }));
    FlackIoAdapter.handleDirectly(server, 'message:send', handler);
    const socket = fakeSocket();
    adapter.bindMessageHandlers(socket, noHandlers(), undefined as never);
    adapter.bindMessageHandlers(socket, noHandlers(), undefined as never);
    const ack = jest.fn();
    socket.receive('message:send', {}, ack);
    await tick();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledTimes(1);
  });

  it('refuses an event bound both directly and through @SubscribeMessage', () => {
    FlackIoAdapter.handleDirectly(server, 'message:send', async () => null);
    const nest = [handler('message:send', () => null)];
    expect(() => adapter.bindMessageHandlers(fakeSocket(), nest, undefined as never)).toThrow(/message:send/);
  });

  it('logs a handler that fails instead of answering, and sends no ack', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    FlackIoAdapter.handleDirectly(server, 'message:send', async () => {
      throw new Error('bug');
    });
    const socket = fakeSocket();
    adapter.bindMessageHandlers(socket, noHandlers(), undefined as never);
    const ack = jest.fn();
    socket.receive('message:send', {}, ack);
    await tick();
    expect(ack).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });

  it('calls each gateway’s handlers for their own events, and acks what they return', async () => {
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

  it('only accepts servers it created', () => {
    expect(() => FlackIoAdapter.handleDirectly({} as Server, 'x', async () => null)).toThrow();
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
