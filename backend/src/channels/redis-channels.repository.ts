import type { User } from '@flack/contract';
import { hashFields, KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { ChannelsRepository, type ChannelRecord } from './channels.repository.js';

const keys = {
  channel: (id: string) => `${KEY_PREFIX}channel:${id}`,
  members: (id: string) => `${KEY_PREFIX}channel:${id}:members`,
  all: `${KEY_PREFIX}channels`,
  bySkeleton: `${KEY_PREFIX}channels:by-skeleton`,
  /** The channels a user created, for the per-user cap; removed with the user. */
  createdBy: (userId: string) => `${KEY_PREFIX}channels:created-by:${userId}`,
  /** The user's channels, scored by a global join counter: join order. */
  joined: (userId: string) => `${KEY_PREFIX}user:${userId}:channels`,
  lastOpened: (userId: string) => `${KEY_PREFIX}user:${userId}:last-channel`,
  joinCounter: `${KEY_PREFIX}channels:join-counter`,
};

/**
 * Inserts unless the id or the skeleton is taken, and answers the channel in the way: one script,
 * so two instances creating one channel (or two that look alike) cannot both succeed.
 * KEYS: channel, by-skeleton, all, created-by. ARGV: prefix, id, skeleton, creator ('' for a
 * direct conversation, which counts against nobody), then field/value pairs.
 */
const insertUnlessTaken = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HGETALL', KEYS[1]) end
local holder = redis.call('HGET', KEYS[2], ARGV[3])
if holder then return redis.call('HGETALL', ARGV[1] .. 'channel:' .. holder) end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('HSET', KEYS[2], ARGV[3], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[2])
if ARGV[4] ~= '' then redis.call('SADD', KEYS[4], ARGV[2]) end
return nil`);

/** KEYS: channel. ARGV: createdAt. Messages stamped on other instances may arrive out of order. */
const recordMessage = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'messageCount', 1)
local last = redis.call('HGET', KEYS[1], 'lastMessageAt')
if not last or last == '' or last < ARGV[1] then redis.call('HSET', KEYS[1], 'lastMessageAt', ARGV[1]) end
return 1`);

/**
 * Sets (ARGV[1] non-empty) or removes the topic of an existing channel and answers the channel, so a
 * channel removed meanwhile is not brought back as a hash holding only a topic. KEYS: channel.
 */
const setTopic = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'topic') else redis.call('HSET', KEYS[1], 'topic', ARGV[1]) end
return redis.call('HGETALL', KEYS[1])`);

/** KEYS: channel, members, joined, join counter. ARGV: channel id, user id. */
const addMember = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
return 1`);

/** KEYS: members, joined, last opened. ARGV: channel id, user id. */
const removeMember = new RedisScript(`
local removed = redis.call('SREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
return removed`);

/**
 * Leaves nothing keyed by the user: memberships, join order, last channel, created-by (the
 * channels themselves stay). KEYS: joined, last opened, created-by. ARGV: prefix, user id.
 */
const removeUser = new RedisScript(`
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  redis.call('SREM', ARGV[1] .. 'channel:' .. id .. ':members', ARGV[2])
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 0`);

/**
 * Removes a channel nobody is a member of, in one step, so a join cannot slip in between the
 * check and the removal. KEYS: channel, members, by-skeleton, all. ARGV: id, prefix.
 */
const removeIfEmpty = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('SCARD', KEYS[2]) > 0 then return 0 end
local fields = redis.call('HMGET', KEYS[1], 'skeleton', 'createdBy')
if redis.call('HGET', KEYS[3], fields[1]) == ARGV[1] then redis.call('HDEL', KEYS[3], fields[1]) end
redis.call('SREM', KEYS[4], ARGV[1])
if fields[2] and fields[2] ~= '' then redis.call('SREM', ARGV[2] .. 'channels:created-by:' .. fields[2], ARGV[1]) end
redis.call('DEL', KEYS[1], KEYS[2])
return 1`);

function toFields(channel: ChannelRecord): string[] {
  return [
    'id',
    channel.id,
    'name',
    channel.name,
    'skeleton',
    channel.skeleton,
    'createdAt',
    channel.createdAt,
    'createdBy',
    channel.createdBy,
    'messageCount',
    String(channel.messageCount),
    'lastMessageAt',
    channel.lastMessageAt ?? '',
    'dm',
    channel.dm ? JSON.stringify(channel.dm) : '',
    ...(channel.topic ? ['topic', channel.topic] : []),
  ];
}

function toRecord(hash: unknown): ChannelRecord | undefined {
  const fields = hashFields(hash);
  if (!fields?.['id']) return undefined;
  return {
    id: fields['id'],
    name: fields['name'] ?? '',
    skeleton: fields['skeleton'] ?? '',
    createdAt: fields['createdAt'] ?? '',
    createdBy: fields['createdBy'] ?? '',
    messageCount: Number(fields['messageCount'] ?? 0),
    lastMessageAt: fields['lastMessageAt'] || null,
    ...(fields['dm'] ? { dm: JSON.parse(fields['dm']) as User[] } : {}),
    ...(fields['topic'] ? { topic: fields['topic'] } : {}),
  };
}

/** Channels, memberships and each user's last channel in Redis, shared by every instance. */
export class RedisChannelsRepository extends ChannelsRepository {
  readonly seesEveryChange = false;

  constructor(private readonly store: RedisStore) {
    super();
  }

  insertUnlessTaken(channel: ChannelRecord): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(
        await insertUnlessTaken.run(
          redis,
          [keys.channel(channel.id), keys.bySkeleton, keys.all, keys.createdBy(channel.createdBy)],
          [KEY_PREFIX, channel.id, channel.skeleton, channel.createdBy, ...toFields(channel)],
        ),
      ),
    );
  }

  findById(id: string): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) => toRecord(await redis.hgetall(keys.channel(id))));
  }

  findAll(): Promise<ChannelRecord[]> {
    return this.store.run(async (redis) => {
      const ids = await redis.smembers(keys.all);
      // Sent together: ioredis pipelines commands issued in the same tick.
      const hashes = await Promise.all(ids.map((id) => redis.hgetall(keys.channel(id))));
      return hashes.map(toRecord).filter((record): record is ChannelRecord => record !== undefined);
    });
  }

  countCreatedBy(userId: string): Promise<number> {
    return this.store.run((redis) => redis.scard(keys.createdBy(userId)));
  }

  setTopic(id: string, topic: string | null): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(await setTopic.run(redis, [keys.channel(id)], [topic ?? ''])),
    );
  }

  recordMessage(id: string, createdAt: string): Promise<void> {
    return this.store.run(async (redis) => {
      await recordMessage.run(redis, [keys.channel(id)], [createdAt]);
    });
  }

  addMember(id: string, userId: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await addMember.run(
          redis,
          [keys.channel(id), keys.members(id), keys.joined(userId), keys.joinCounter],
          [id, userId],
        )) === 1,
    );
  }

  removeMember(id: string, userId: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await removeMember.run(
          redis,
          [keys.members(id), keys.joined(userId), keys.lastOpened(userId)],
          [id, userId],
        )) === 1,
    );
  }

  isMember(id: string, userId: string): Promise<boolean> {
    return this.store.run(async (redis) => (await redis.sismember(keys.members(id), userId)) === 1);
  }

  memberCount(id: string): Promise<number> {
    return this.store.run((redis) => redis.scard(keys.members(id)));
  }

  memberIds(id: string): Promise<string[]> {
    return this.store.run((redis) => redis.smembers(keys.members(id)));
  }

  channelsOf(userId: string): Promise<string[]> {
    return this.store.run((redis) => redis.zrange(keys.joined(userId), 0, '-1'));
  }

  removeIfEmpty(id: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await removeIfEmpty.run(
          redis,
          [keys.channel(id), keys.members(id), keys.bySkeleton, keys.all],
          [id, KEY_PREFIX],
        )) === 1,
    );
  }

  removeUser(userId: string): Promise<void> {
    return this.store.run(async (redis) => {
      await removeUser.run(
        redis,
        [keys.joined(userId), keys.lastOpened(userId), keys.createdBy(userId)],
        [KEY_PREFIX, userId],
      );
    });
  }

  setLastOpened(userId: string, id: string | null): Promise<void> {
    return this.store.run(async (redis) => {
      if (id === null) await redis.del(keys.lastOpened(userId));
      else await redis.set(keys.lastOpened(userId), id);
    });
  }

  lastOpened(userId: string): Promise<string | null> {
    return this.store.run((redis) => redis.get(keys.lastOpened(userId)));
  }
}

export { keys as channelKeys };
