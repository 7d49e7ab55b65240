// A minimal Socket.IO 4 (Engine.IO v4) client over `ws`, for the load generator only.
//
// socket.io-client does far more per packet than a benchmark can afford (reconnection, buffering,
// an event emitter per socket, a decoder that builds objects for every frame), so with thousands
// of sockets in one process it, not the server, would set the limit. This client speaks just
// enough of the protocol: the websocket transport, CONNECT with auth, ping/pong, events with
// acknowledgements, and a raw-frame hook so the hot path can read a frame without JSON.parse.
//
// Wire format over the websocket transport (one Engine.IO packet per websocket frame):
//   Engine.IO: 0 open, 1 close, 2 ping, 3 pong, 4 message
//   Socket.IO inside an Engine.IO message: 0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR
//   so `42["event",{...}]` is an event, `42<id>[...]` an event asking for an ack, `43<id>[...]` an ack.

import WebSocket from 'ws';
import { setTimeout, clearTimeout } from 'node:timers';

const CHAR = {
  zero: 0x30,
  nine: 0x39,
  engineClose: 0x31,
  enginePing: 0x32,
  engineMessage: 0x34,
  connect: 0x30,
  disconnect: 0x31,
  event: 0x32,
  ack: 0x33,
  connectError: 0x34,
  openBracket: 0x5b,
};

/** The query string Socket.IO expects for a websocket-only client of protocol v4. */
export function socketUrl(port, path = '/socket.io') {
  return `ws://127.0.0.1:${port}${path}/?EIO=4&transport=websocket`;
}

export class SocketIoWsClient {
  /** Called with the raw frame (a Buffer) of every server EVENT; the hot path parses it itself. */
  onEvent = null;
  /** Called with the raw frame of an ACK nobody awaits (sent with `emitRaw`). */
  onUntrackedAck = null;
  /** The CONNECT answer, e.g. `{ sid }`, or `{ sid, pid }` when the server offers state recovery. */
  connectInfo = null;

  #ws;
  #nextAckId = 0;
  #pendingAcks = new Map();
  #connected = false;

  constructor(ws) {
    this.#ws = ws;
  }

  /**
   * Opens the websocket and sends Socket.IO CONNECT with `auth`; resolves once the server accepts
   * (`40{...}`), rejects on `44{...}` (refused in the handshake middleware), close or timeout.
   * `onEvent` is set from the start: a recovered session's missed packets may come before CONNECT.
   */
  static connect(url, auth, { timeoutMs = 10_000, onEvent = null } = {}) {
    return new Promise((resolve, reject) => {
      // Deflate is off on both servers; skipping UTF-8 validation keeps the receiving side lean.
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      const client = new SocketIoWsClient(ws);
      client.onEvent = onEvent;
      let settled = false;
      const settle = (error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          ws.terminate();
          reject(error);
        } else resolve(client);
      };
      const timer = setTimeout(
        () => settle(new Error(`Socket.IO connect timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      ws.on('open', () => ws.send(`40${JSON.stringify(auth)}`));
      ws.on('message', (data) => client.#onFrame(data, settle));
      ws.on('error', (error) => settle(error));
      ws.on('close', () => {
        client.#connected = false;
        settle(new Error('websocket closed before Socket.IO CONNECT'));
        for (const pending of client.#pendingAcks.values()) pending.reject(new Error('socket closed'));
        client.#pendingAcks.clear();
      });
    });
  }

  get connected() {
    return this.#connected;
  }

  /** Emits an event with an ack id; resolves with the ack's first argument. For setup, not the hot path. */
  emitWithAck(event, payload, { timeoutMs = 15_000 } = {}) {
    const id = this.#nextAckId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pendingAcks.delete(id);
        reject(new Error(`no ack for ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pendingAcks.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#ws.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /**
   * Emits `event` with a payload that is already JSON, asking for an ack that goes to
   * `onUntrackedAck`: no promise, no timer and no JSON.stringify per message.
   */
  emitRaw(event, payloadJson) {
    this.#ws.send(`42${this.#nextAckId++}["${event}",${payloadJson}]`);
  }

  close() {
    this.#ws.terminate();
  }

  #onFrame(data, settleConnect) {
    const engineType = data[0];
    if (engineType === CHAR.enginePing) {
      this.#ws.send('3');
      return;
    }
    if (engineType === CHAR.engineClose) {
      this.#ws.terminate();
      return;
    }
    if (engineType !== CHAR.engineMessage) return; // the Engine.IO open packet needs no answer here
    switch (data[1]) {
      case CHAR.event:
        this.onEvent?.(data);
        return;
      case CHAR.ack:
        this.#onAck(data);
        return;
      case CHAR.connect:
        this.#connected = true;
        this.connectInfo = JSON.parse(data.toString('utf8', 2));
        settleConnect();
        return;
      case CHAR.connectError: {
        const refusal = JSON.parse(data.toString('utf8', 2));
        settleConnect(new Error(`handshake refused: ${refusal.data?.code ?? ''} ${refusal.message}`));
        return;
      }
      case CHAR.disconnect:
        this.#connected = false;
        this.#ws.terminate();
        return;
    }
  }

  #onAck(data) {
    let id = 0;
    let index = 2;
    for (let c = data[index]; c >= CHAR.zero && c <= CHAR.nine; c = data[++index])
      id = id * 10 + c - CHAR.zero;
    const pending = this.#pendingAcks.get(id);
    if (!pending) {
      this.onUntrackedAck?.(data);
      return;
    }
    this.#pendingAcks.delete(id);
    // The ack's arguments are a JSON array; Flack and the baseline answer with exactly one.
    pending.resolve(JSON.parse(data.toString('utf8', index))[0]);
  }
}
