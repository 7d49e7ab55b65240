import type { MessageMappingProperties } from '@nestjs/websockets';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Server, Socket } from 'socket.io';
import { FlackIoAdapter } from './flack-io.adapter.js';
import { HotPaths, type HotRoute } from './hot-path.js';

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

/** A namespace as far as connections go: `on('connection')` listeners, and `connect` to play one in. */
function fakeServer() {
  const listeners: ((socket: Socket) => void)[] = [];
  const server = {
    on: (event: string, listener: (socket: Socket) => void) => {
      if (event === 'connection') listeners.push(listener);
      return server;
    },
    connect: (socket: Socket) => listeners.forEach((listener) => listener(socket)),
  };
  return server;
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('FlackIoAdapter handler binding', () => {
  let httpServer: HttpServer;
  let server: Server | undefined;
  const sendRoute = jest.fn<HotRoute>(async (_socket, payload) => ({ ok: true, data: payload }));
  const hotPaths = {
    routes: new Map<string, HotRoute>(),
    route(event: string) {
      return this.routes.get(event);
    },
    connected: jest.fn(),
    disconnected: jest.fn(),
  };

  /** An adapter over a bare HTTP server whose app answers `HotPaths` with the routes above. */
  function adapterFor(options: { hotPaths?: boolean } = {}): FlackIoAdapter {
    // Socket.IO attaches to the HTTP server; `get` answers HotPaths, and "no Redis" for the rest.
    httpServer = Object.assign(createServer(), {
      get: (token: unknown) => (token === HotPaths ? hotPaths : null),
    });
    const adapter = new FlackIoAdapter(httpServer as unknown as INestApplicationContext, options);
    server = adapter.createIOServer(0);
    return adapter;
  }

  /** A socket connected through an adapter whose gateways (two, as Nest asks once per gateway) are hot. */
  function connectedSocket(adapter: FlackIoAdapter, nest = jest.fn()) {
    const namespace = fakeServer();
    adapter.bindClientConnect(namespace as unknown as Server, nest);
    adapter.bindClientConnect(namespace as unknown as Server, nest);
    const socket = fakeSocket();
    namespace.connect(socket);
    return socket;
  }

  beforeEach(() => {
    sendRoute.mockClear();
    hotPaths.connected.mockClear();
    hotPaths.disconnected.mockClear();
    hotPaths.routes = new Map([['message:send', sendRoute]]);
  });
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers every event through its route, and binds nothing of Nest’s to the socket', async () => {
    const adapter = adapterFor();
    const nest = jest.fn();
    const socket = connectedSocket(adapter, nest);
    expect(nest).not.toHaveBeenCalled();
    expect(hotPaths.connected).toHaveBeenCalledTimes(1);
    expect(hotPaths.connected).toHaveBeenCalledWith(socket);
    const ack = jest.fn();
    socket.receive('message:send', { text: 'hi' }, ack);
    socket.receive('no:such-event', jest.fn());
    await tick();
    expect(sendRoute).toHaveBeenCalledWith(socket, { text: 'hi' }, ack);
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith({ ok: true, data: { text: 'hi' } });
  });

  it('hands a route its payload whether or not the client asked for an ack, and acks nothing it does not answer', async () => {
    const adapter = adapterFor();
    const socket = connectedSocket(adapter);
    const acksItself = jest.fn<HotRoute>(async (_socket, _payload, ack) => {
      ack?.('by hand');
      return undefined;
    });
    hotPaths.routes.set('session:forget', acksItself);
    socket.receive('message:send', { channel: 'general' });
    const ack = jest.fn();
    socket.receive('session:forget', ack);
    await tick();
    expect(sendRoute).toHaveBeenCalledWith(socket, { channel: 'general' }, undefined);
    expect(acksItself).toHaveBeenCalledWith(socket, undefined, ack);
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith('by hand');
  });

  it('logs a route that fails instead of answering, and sends no ack', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const adapter = adapterFor();
    const socket = connectedSocket(adapter);
    hotPaths.routes.set('channel:list', async () => {
      throw new Error('bug');
    });
    const ack = jest.fn();
    socket.receive('channel:list', ack);
    await tick();
    expect(ack).not.toHaveBeenCalled();
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });

  it('tells the gateways of a disconnect once, through HotPaths', () => {
    const adapter = adapterFor();
    const socket = connectedSocket(adapter);
    socket.drop('transport close');
    expect(hotPaths.disconnected).toHaveBeenCalledTimes(1);
    expect(hotPaths.disconnected).toHaveBeenCalledWith(socket, 'transport close');
  });

  describe('with hot paths off', () => {
    it('lets Nest bind its connection listeners, and takes Nest’s pipeline for every event', async () => {
      const adapter = adapterFor({ hotPaths: false });
      const namespace = fakeServer();
      const socket = fakeSocket();
      const nest = jest.fn(async (_data: unknown, _ack: unknown) => ({ ok: true, data: 'through Nest' }));
      adapter.bindClientConnect(namespace as unknown as Server, (client: Socket) =>
        adapter.bindMessageHandlers(client, [handler('message:send', nest)], undefined as never),
      );
      namespace.connect(socket);
      const ack = jest.fn();
      socket.receive('message:send', { text: 'hi' }, ack);
      await tick();
      expect(sendRoute).not.toHaveBeenCalled();
      expect(hotPaths.connected).not.toHaveBeenCalled();
      expect(nest).toHaveBeenCalledWith({ text: 'hi' }, ack);
      expect(ack).toHaveBeenCalledWith({ ok: true, data: 'through Nest' });
    });

    it('calls each gateway’s handlers for their own events, and acks what they return', async () => {
      const adapter = adapterFor({ hotPaths: false });
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
      const adapter = adapterFor({ hotPaths: false });
      const socket = fakeSocket();
      const heard: string[] = [];
      adapter.bindClientDisconnect(socket, (reason) => heard.push(`sessions: ${String(reason)}`));
      adapter.bindClientDisconnect(socket, (reason) => heard.push(`presence: ${String(reason)}`));
      socket.drop('transport close');
      expect(heard).toEqual(['sessions: transport close', 'presence: transport close']);
      expect(hotPaths.disconnected).not.toHaveBeenCalled();
    });
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
