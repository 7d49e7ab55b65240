import type { Redis } from 'ioredis';
import { send, uniqueName, type TestUser } from './test-app.js';

/**
 * Where `needle` (a user id) is used as a key in memory: Map keys, Set members and property names,
 * anywhere under `roots`. Values that merely mention it (the author of a stored message, a
 * conversation's people) are what the person wrote or took part in, and stay with the channel.
 */
export function memoryKeysMentioning(roots: Record<string, unknown>, needle: string): string[] {
  const found: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      for (const [key, entry] of value) {
        if (String(key).includes(needle)) found.push(`${path} has the key ${String(key)}`);
        walk(entry, `${path}[${String(key)}]`);
      }
    } else if (value instanceof Set) {
      for (const member of value) {
        if (typeof member === 'string' && member.includes(needle)) found.push(`${path} has ${member}`);
        walk(member, path);
      }
    } else {
      for (const [key, entry] of Object.entries(value)) {
        if (key.includes(needle)) found.push(`${path} has the property ${key}`);
        walk(entry, `${path}.${key}`);
      }
    }
  };
  for (const [name, root] of Object.entries(roots)) walk(root, name);
  return found;
}

/**
 * Where `needle` is used as a key in Redis: key names, hash fields, set and sorted-set members.
 * List and string values hold stored messages (the person's words stay with the channel), and the
 * Socket.IO stream holds recent broadcasts for connection-state recovery, trimmed by length.
 */
export async function redisKeysMentioning(redis: Redis, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of await redis.keys('*')) {
    if (key.includes(needle)) found.push(`the key ${key}`);
    const type = await redis.type(key);
    const names =
      type === 'hash'
        ? await redis.hkeys(key)
        : type === 'set'
          ? await redis.smembers(key)
          : type === 'zset'
            ? await redis.zrange(key, '0', '-1')
            : [];
    for (const name of names) if (name.includes(needle)) found.push(`${key} has ${name}`);
  }
  return found;
}

/**
 * Everything a person does leaves something keyed by them: a name, tokens, sockets, memberships,
 * read positions, presence, typing, rate-limit counters, a direct conversation. Releasing the name
 * must take all of it, whichever way it goes ("Forget me" here; expiry takes the same path).
 */
export async function leaveEveryKindOfTrace(alice: TestUser, bob: TestUser): Promise<void> {
  const channel = (await alice.call('channel:create', { name: uniqueName('traces') })).channel.id;
  await bob.call('channel:join', { channel });
  const sent = await send(alice, channel, 'hello @bob');
  await send(bob, channel, 'hi alice');
  await alice.call('channel:read', { channel, seq: sent.seq + 1 });
  await alice.call('typing:start', { channel });
  const dm = (await alice.call('dm:open', { userId: bob.id })).channel.id;
  await send(alice, dm, 'just us');
  await alice.call('channel:members', { channel });
  await alice.call('session:get');
}
