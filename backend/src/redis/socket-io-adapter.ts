import type { INestApplicationContext } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions } from 'socket.io';
import { KEY_PREFIX, RedisStore } from './redis-store.js';

/**
 * Broadcasts kept in the stream, for connection-state recovery: a client away for longer than
 * these take to pile up is not recovered and catches up from history instead.
 */
const STREAM_MAX_LENGTH = 10_000;

/**
 * Socket.IO's Redis streams adapter when Flack runs on Redis (rooms, broadcasts and
 * connection-state recovery across instances); undefined keeps Socket.IO's in-memory adapter.
 */
export function redisStreamsAdapter(app: INestApplicationContext): ServerOptions['adapter'] | undefined {
  const store = app.get(RedisStore, { strict: false }) as RedisStore | null;
  if (!store) return undefined;
  return createAdapter(store.createAdapterClient(), {
    streamName: `${KEY_PREFIX}socket.io`,
    channelPrefix: `${KEY_PREFIX}socket.io`,
    sessionKeyPrefix: `${KEY_PREFIX}socket.io:session:`,
    maxLen: STREAM_MAX_LENGTH,
  }) as unknown as ServerOptions['adapter'];
}
