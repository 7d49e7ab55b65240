import type { User } from '@flack/contract';
import { hashFields, KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import {
  ChannelsRepository,
  withActivity,
  type ChannelCaps,
  type ChannelListing,
  type ChannelRecord,
  type CreateOutcome,
  type ListedChannel,
  type Membership,
} from './channels.repository.js';

const keys = {
  channel: (id: string) => `${KEY_PREFIX}channel:${id}`,
  members: (id: string) => `${KEY_PREFIX}channel:${id}:members`,
  /** Channels that are not direct conversations: the listing, and what MAX_CHANNELS counts (SCARD). */
  listed: `${KEY_PREFIX}channels`,
  /** Direct conversations: a set of their own, so that they are neither listed nor counted. */
  dms: `${KEY_PREFIX}channels:dms`,
  /** ChannelListing.version: moved on by every script that changes what the listing shows. */
  listingVersion: `${KEY_PREFIX}channels:listing-version`,
  bySkeleton: `${KEY_PREFIX}channels:by-skeleton`,
  /** The channels a user created, for the per-user cap; removed with the user. */
  createdBy: (userId: string) => `${KEY_PREFIX}channels:created-by:${userId}`,
  /** The user's channels, scored by a global join counter: join order. */
  joined: (userId: string) => `${KEY_PREFIX}user:${userId}:channels`,
  /** The user's direct conversations (among `joined`), so their snapshot reads no other channel. */
  joinedDms: (userId: string) => `${KEY_PREFIX}user:${userId}:dms`,
  lastOpened: (userId: string) => `${KEY_PREFIX}user:${userId}:last-channel`,
  joinCounter: `${KEY_PREFIX}channels:join-counter`,
};

/**
 * What the listing shows changed: a new version, which every instance sees on its next listing. A
 * missing version (a new or emptied store) starts from the server's clock in microseconds, so it
 * never comes back to a version an instance still holds from before.
 */
const LISTING_CHANGED_LUA = `
local function listingChanged(versionKey)
  if redis.call('INCR', versionKey) == 1 then
    local now = redis.call('TIME')
    redis.call('SET', versionKey, now[1] .. string.format('%06d', tonumber(now[2])))
  end
end`;

/**
 * The insert shared by insertUnlessTaken and create. KEYS: channel, by-skeleton, listed, dms,
 * created-by, listing version. ARGV: prefix, id, skeleton, creator ('' for the server's channels
 * and direct conversations, which count against nobody), '1' for a direct conversation.
 */
const INSERT_LUA = `${LISTING_CHANGED_LUA}
local function holder()
  if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HGETALL', KEYS[1]) end
  local id = redis.call('HGET', KEYS[2], ARGV[3])
  if id then return redis.call('HGETALL', ARGV[1] .. 'channel:' .. id) end
  return nil
end
local function insert(firstField)
  redis.call('HSET', KEYS[1], unpack(ARGV, firstField))
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[2])
  if ARGV[5] == '1' then
    redis.call('SADD', KEYS[4], ARGV[2])
  else
    redis.call('SADD', KEYS[3], ARGV[2])
    listingChanged(KEYS[6])
  end
  if ARGV[4] ~= '' then redis.call('SADD', KEYS[5], ARGV[2]) end
end`;

/**
 * Inserts unless the id or the skeleton is taken, and answers the channel in the way: one script,
 * so two instances creating one channel (or two that look alike) cannot both succeed.
 * KEYS and ARGV as INSERT_LUA, then field/value pairs.
 */
const insertUnlessTaken = new RedisScript(`${INSERT_LUA}
local taken = holder()
if taken then return taken end
insert(6)
return nil`);

/**
 * A channel someone creates: the caps, the name, the insert and its creator's membership in one
 * script, so its cost does not grow with the channels and instances creating at once cannot pass a
 * cap. KEYS as INSERT_LUA, then members, the creator's joined, join counter. ARGV as INSERT_LUA,
 * then MAX_CHANNELS, MAX_CHANNELS_PER_USER, field/value pairs.
 */
const create = new RedisScript(`${INSERT_LUA}
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[6]) then return {'cap-reached', 'channels'} end
if redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[7]) then return {'cap-reached', 'perUser'} end
local taken = holder()
if taken then return {'taken', taken} end
insert(8)
redis.call('SADD', KEYS[7], ARGV[4])
redis.call('ZADD', KEYS[8], redis.call('INCR', KEYS[9]), ARGV[2])
return {'created'}`);

/**
 * The listing in one script. KEYS: listing version, listed. ARGV: prefix, the version the caller
 * holds ('-' for none), then the ids it lists. Same version: answers `{version, 'activity',
 * {count, last, ...}}` in the order of the ids (only messages changed the channels meanwhile).
 * Otherwise `{version, 'all', {{hash, members}, ...}}`.
 */
const listing = new RedisScript(`
local version = redis.call('GET', KEYS[1]) or ''
if version == ARGV[2] then
  local activity = {}
  for i = 3, #ARGV do
    local fields = redis.call('HMGET', ARGV[1] .. 'channel:' .. ARGV[i], 'messageCount', 'lastMessageAt')
    activity[#activity + 1] = fields[1] or ''
    activity[#activity + 1] = fields[2] or ''
  end
  return {version, 'activity', activity}
end
local channels = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = ARGV[1] .. 'channel:' .. id
  local hash = redis.call('HGETALL', key)
  if #hash > 0 then channels[#channels + 1] = {hash, redis.call('SCARD', key .. ':members')} end
end
return {version, 'all', channels}`);

/** KEYS: channel. ARGV: createdAt. Messages stamped on other instances may arrive out of order. */
const recordMessage = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'messageCount', 1)
local last = redis.call('HGET', KEYS[1], 'lastMessageAt')
if not last or last == '' or last < ARGV[1] then redis.call('HSET', KEYS[1], 'lastMessageAt', ARGV[1]) end
return 1`);

/**
 * Sets (ARGV[1] non-empty) or removes the topic of an existing channel and answers the channel, so a
 * channel removed meanwhile is not brought back as a hash holding only a topic. KEYS: channel,
 * listing version.
 */
const setTopic = new RedisScript(`${LISTING_CHANGED_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'topic') else redis.call('HSET', KEYS[1], 'topic', ARGV[1]) end
if (redis.call('HGET', KEYS[1], 'dm') or '') == '' then listingChanged(KEYS[2]) end
return redis.call('HGETALL', KEYS[1])`);

/** KEYS: channel, members, joined, join counter, joined DMs, listing version. ARGV: channel id, user id. */
const addMember = new RedisScript(`${LISTING_CHANGED_LUA}
local channel = redis.call('HMGET', KEYS[1], 'id', 'dm')
if not channel[1] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
if channel[2] and channel[2] ~= '' then redis.call('SADD', KEYS[5], ARGV[1]) else listingChanged(KEYS[6]) end
return 1`);

/** KEYS: members, joined, last opened, joined DMs, channel, listing version. ARGV: channel id, user id. */
const removeMember = new RedisScript(`${LISTING_CHANGED_LUA}
local removed = redis.call('SREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if removed == 1 and (redis.call('HGET', KEYS[5], 'dm') or '') == '' then listingChanged(KEYS[6]) end
return removed`);

/**
 * What a user's session needs of their channels, in one script: KEYS joined, last opened, joined
 * DMs; ARGV prefix, '1' to include the direct conversations. Answers `{ids, last or '', {{hash,
 * members}, ...}}`.
 */
const membershipOf = new RedisScript(`
local joined = redis.call('ZRANGE', KEYS[1], 0, -1)
local last = redis.call('GET', KEYS[2]) or ''
local dms = {}
if ARGV[2] == '1' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    local key = ARGV[1] .. 'channel:' .. id
    local hash = redis.call('HGETALL', key)
    if #hash > 0 then dms[#dms + 1] = {hash, redis.call('SCARD', key .. ':members')} end
  end
end
return {joined, last, dms}`);

/**
 * Leaves nothing keyed by the user: memberships, join order, last channel, created-by (the
 * channels themselves stay). KEYS: joined, last opened, created-by, joined DMs, listing version.
 * ARGV: prefix, user id.
 */
const removeUser = new RedisScript(`${LISTING_CHANGED_LUA}
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do
  redis.call('SREM', ARGV[1] .. 'channel:' .. id .. ':members', ARGV[2])
end
-- More channels than direct conversations: a listed channel lost a member.
if #ids > redis.call('SCARD', KEYS[4]) then listingChanged(KEYS[5]) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 0`);

/**
 * Removes a channel nobody is a member of, in one step, so a join cannot slip in between the
 * check and the removal. KEYS: channel, members, by-skeleton, listed, dms, listing version. ARGV:
 * id, prefix.
 */
const removeIfEmpty = new RedisScript(`${LISTING_CHANGED_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('SCARD', KEYS[2]) > 0 then return 0 end
local fields = redis.call('HMGET', KEYS[1], 'skeleton', 'createdBy', 'dm')
if redis.call('HGET', KEYS[3], fields[1]) == ARGV[1] then redis.call('HDEL', KEYS[3], fields[1]) end
if fields[3] and fields[3] ~= '' then
  redis.call('SREM', KEYS[5], ARGV[1])
else
  redis.call('SREM', KEYS[4], ARGV[1])
  listingChanged(KEYS[6])
end
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

/** `{{hash, members}, ...}` as the listing and membership scripts answer them. */
function toListed(entries: unknown): ListedChannel[] {
  const listed: ListedChannel[] = [];
  for (const [hash, members] of entries as [unknown, number][]) {
    const record = toRecord(hash);
    if (record) listed.push({ record, members: Number(members) });
  }
  return listed;
}

/** Channels, memberships and each user's last channel in Redis, shared by every instance. */
export class RedisChannelsRepository extends ChannelsRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  insertUnlessTaken(channel: ChannelRecord): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(
        await insertUnlessTaken.run(redis, this.insertKeys(channel), [
          ...this.insertArgs(channel),
          ...toFields(channel),
        ]),
      ),
    );
  }

  create(channel: ChannelRecord, caps: ChannelCaps): Promise<CreateOutcome> {
    return this.store.run(async (redis) => {
      const [outcome, detail] = (await create.run(
        redis,
        [
          ...this.insertKeys(channel),
          keys.members(channel.id),
          keys.joined(channel.createdBy),
          keys.joinCounter,
        ],
        [...this.insertArgs(channel), caps.channels, caps.perUser, ...toFields(channel)],
      )) as [string, unknown];
      if (outcome === 'created') return { outcome };
      if (outcome === 'cap-reached') return { outcome, cap: detail as keyof ChannelCaps };
      const taken = toRecord(detail);
      if (!taken) throw new Error(`channel ${channel.id}: the channel in the way has no record`);
      return { outcome: 'taken', channel: taken };
    });
  }

  private insertKeys(channel: ChannelRecord): string[] {
    return [
      keys.channel(channel.id),
      keys.bySkeleton,
      keys.listed,
      keys.dms,
      keys.createdBy(channel.createdBy),
      keys.listingVersion,
    ];
  }

  private insertArgs(channel: ChannelRecord): string[] {
    return [KEY_PREFIX, channel.id, channel.skeleton, channel.createdBy, channel.dm ? '1' : ''];
  }

  findById(id: string): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) => toRecord(await redis.hgetall(keys.channel(id))));
  }

  findAll(): Promise<ChannelRecord[]> {
    return this.store.run(async (redis) => {
      const [listed, dms] = await Promise.all([redis.smembers(keys.listed), redis.smembers(keys.dms)]);
      // Sent together: ioredis pipelines commands issued in the same tick.
      const hashes = await Promise.all([...listed, ...dms].map((id) => redis.hgetall(keys.channel(id))));
      return hashes.map(toRecord).filter((record): record is ChannelRecord => record !== undefined);
    });
  }

  listing(known: ChannelListing | null): Promise<ChannelListing> {
    return this.store.run(async (redis) => {
      const ids = known?.channels.map((listed) => listed.record.id) ?? [];
      const [version, kind, entries] = (await listing.run(
        redis,
        [keys.listingVersion, keys.listed],
        [KEY_PREFIX, known?.version ?? '-', ...ids],
      )) as [string, 'activity' | 'all', unknown[]];
      if (kind === 'all') return { version, channels: toListed(entries) };
      let changed = false;
      const channels = known!.channels.map((listed, i) => {
        const now = withActivity(listed, {
          messageCount: Number(entries[2 * i] || 0),
          lastMessageAt: String(entries[2 * i + 1] ?? '') || null,
        });
        changed ||= now !== listed;
        return now;
      });
      return changed ? { version, channels } : known!;
    });
  }

  countCreatedBy(userId: string): Promise<number> {
    return this.store.run((redis) => redis.scard(keys.createdBy(userId)));
  }

  setTopic(id: string, topic: string | null): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(await setTopic.run(redis, [keys.channel(id), keys.listingVersion], [topic ?? ''])),
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
          [
            keys.channel(id),
            keys.members(id),
            keys.joined(userId),
            keys.joinCounter,
            keys.joinedDms(userId),
            keys.listingVersion,
          ],
          [id, userId],
        )) === 1,
    );
  }

  removeMember(id: string, userId: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await removeMember.run(
          redis,
          [
            keys.members(id),
            keys.joined(userId),
            keys.lastOpened(userId),
            keys.joinedDms(userId),
            keys.channel(id),
            keys.listingVersion,
          ],
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

  membershipOf(userId: string, withDms = false): Promise<Membership> {
    return this.store.run(async (redis) => {
      const [joined, lastOpened, dms] = (await membershipOf.run(
        redis,
        [keys.joined(userId), keys.lastOpened(userId), keys.joinedDms(userId)],
        [KEY_PREFIX, withDms ? '1' : ''],
      )) as [string[], string, unknown[]];
      return { joined, lastOpened: lastOpened || null, dms: toListed(dms) };
    });
  }

  removeIfEmpty(id: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await removeIfEmpty.run(
          redis,
          [keys.channel(id), keys.members(id), keys.bySkeleton, keys.listed, keys.dms, keys.listingVersion],
          [id, KEY_PREFIX],
        )) === 1,
    );
  }

  removeUser(userId: string): Promise<void> {
    return this.store.run(async (redis) => {
      await removeUser.run(
        redis,
        [
          keys.joined(userId),
          keys.lastOpened(userId),
          keys.createdBy(userId),
          keys.joinedDms(userId),
          keys.listingVersion,
        ],
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
