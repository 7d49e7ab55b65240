import type { INestApplicationContext } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions } from 'socket.io';
import { RedisStore } from './redis-store.js';

/**
 * Broadcasts kept in the stream, for connection-state recovery: a client away for longer than
 * these take to pile up is not recovered and catches up from history instead.
 */
const STREAM_MAX_LENGTH = 10_000;

/**
 * The adapter's keys, deliberately outside KEY_PREFIX's hash tag: on a Redis Cluster its stream
 * (`flack:socket.io:broadcasts`, slot 7415), which every broadcast is appended to and every
 * instance reads, hashes apart from Flack's data (`{flack}`, slot 11606), so in a cluster of three
 * masters they are served by different masters. Recovery sessions hash one by one.
 */
const ADAPTER_PREFIX = 'flack:socket.io';

/**
 * Socket.IO's Redis streams adapter when Flack runs on Redis (rooms, broadcasts and
 * connection-state recovery across instances); undefined keeps Socket.IO's in-memory adapter.
 */
export function redisStreamsAdapter(app: INestApplicationContext): ServerOptions['adapter'] | undefined {
  const store = app.get(RedisStore, { strict: false }) as RedisStore | null;
  if (!store) return undefined;
  return createAdapter(store.createAdapterClient(), {
    streamName: `${ADAPTER_PREFIX}:broadcasts`,
    channelPrefix: ADAPTER_PREFIX,
    sessionKeyPrefix: `${ADAPTER_PREFIX}:session:`,
    maxLen: STREAM_MAX_LENGTH,
  }) as unknown as ServerOptions['adapter'];
}
