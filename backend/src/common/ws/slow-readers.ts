import { Logger } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';

/**
 * How much may wait to be sent to one connection before it counts as not reading: far above what
 * a reader falls behind by (a full history answer is about 250 kB), far below what would hurt the
 * server if a few thousand connections did it.
 */
export const MAX_QUEUED_BYTES = 2 * 1024 * 1024;
/** How often every connection is looked at, for one that stopped reading while only receiving. */
const SWEEP_MS = 1000;

const log = new Logger('SlowReaders');

/** The parts of Engine.IO's connection that hold what is not sent yet. */
interface Connection {
  writeBuffer: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number; terminate?: () => void } };
  close(discard?: boolean): void;
}

/**
 * Bytes waiting for a connection: in the WebSocket's send buffer (`ws` bufferedAmount, what the
 * kernel would not take) and in Engine.IO's write buffer (what waits for a transport, such as the
 * next long-polling request). Stops counting once over the limit.
 */
export function queuedBytes(socket: Socket): number {
  const conn = socket.conn as unknown as Connection | undefined;
  let bytes = conn?.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn?.writeBuffer ?? []) {
    if (bytes > MAX_QUEUED_BYTES) break;
    bytes += typeof packet.data === 'string' ? packet.data.length : 64;
  }
  return bytes;
}

/**
 * Disconnects a socket whose connection has more than MAX_QUEUED_BYTES waiting: a client that
 * stops reading would otherwise make the server hold every answer and broadcast for it. What was
 * queued is dropped; the client, if it ever reads again, reconnects and catches up from history.
 * Returns whether it did.
 */
export function dropIfNotReading(socket: Socket): boolean {
  if (queuedBytes(socket) <= MAX_QUEUED_BYTES) return false;
  log.warn(
    `socket ${socket.id} stopped reading with more than ${MAX_QUEUED_BYTES} bytes queued; disconnected`,
  );
  const conn = socket.conn as unknown as Connection;
  conn.close(true);
  // A WebSocket close waits for its buffer to drain, which it will not; end the TCP connection.
  conn.transport?.socket?.terminate?.();
  return true;
}

/** Looks at every connection of the server every SWEEP_MS; returns the timer, to clear on close. */
export function watchSlowReaders(server: Server): NodeJS.Timeout {
  const timer = setInterval(() => {
    for (const socket of server.of('/').sockets.values()) dropIfNotReading(socket);
  }, SWEEP_MS);
  timer.unref();
  return timer;
}
