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
  /**
   * Moved on by every script that creates or removes a listed channel or sets its topic: the
   * listing's channels are read again only then.
   */
  listingVersion: `${KEY_PREFIX}channels:listing-version`,
  /**
   * The counts the listing shows beside its channels, each a hash by channel id, so that one
   * HMGET reads them for every channel: members, messages ever recorded, the latest message time.
   * `countersVersion` moves on with each change to them of a listed channel.
   */
  memberCounts: `${KEY_PREFIX}channels:member-counts`,
  messageCounts: `${KEY_PREFIX}channels:message-counts`,
  lastMessageAt: `${KEY_PREFIX}channels:last-message-at`,
  countersVersion: `${KEY_PREFIX}channels:counters-version`,
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
 * A channel's hash as HGETALL answers it, with its message count and time from the counters
 * (empty when there is no such channel). `prefix` is KEY_PREFIX.
 */
const RECORD_LUA = `
local function record(prefix, id)
  local hash = redis.call('HGETALL', prefix .. 'channel:' .. id)
  if #hash == 0 then return hash end
  hash[#hash + 1] = 'messageCount'
  hash[#hash + 1] = redis.call('HGET', prefix .. 'channels:message-counts', id) or '0'
  hash[#hash + 1] = 'lastMessageAt'
  hash[#hash + 1] = redis.call('HGET', prefix .. 'channels:last-message-at', id) or ''
  return hash
end
local function countersChanged(prefix)
  redis.call('INCR', prefix .. 'channels:counters-version')
end`;

/**
 * Counts a stored message of a channel and keeps the latest time (messages stamped on other
 * instances may arrive out of order); a channel that does not exist is left alone. For the
 * message store too: a send script that embeds this and calls `recordMessage(prefix, channel id,
 * createdAt)` counts its message in the same step (then nothing else needs to).
 */
export const RECORD_MESSAGE_LUA = `${RECORD_LUA}
local function recordMessage(prefix, id, createdAt)
  local dm = redis.call('HGET', prefix .. 'channel:' .. id, 'dm')
  if not dm then return 0 end
  redis.call('HINCRBY', prefix .. 'channels:message-counts', id, 1)
  local lasts = prefix .. 'channels:last-message-at'
  local last = redis.call('HGET', lasts, id)
  if not last or last < createdAt then redis.call('HSET', lasts, id, createdAt) end
  if dm == '' then countersChanged(prefix) end
  return 1
end`;

/**
 * The insert shared by insertUnlessTaken and create. KEYS: channel, by-skeleton, listed, dms,
 * created-by, listing version. ARGV: prefix, id, skeleton, creator ('' for the server's channels
 * and direct conversations, which count against nobody), '1' for a direct conversation, message
 * count, last message time ('' for none).
 */
const INSERT_LUA = `${LISTING_CHANGED_LUA}${RECORD_LUA}
local function holder()
  if redis.call('EXISTS', KEYS[1]) == 1 then return record(ARGV[1], ARGV[2]) end
  local id = redis.call('HGET', KEYS[2], ARGV[3])
  if id then return record(ARGV[1], id) end
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
  if ARGV[6] ~= '0' then redis.call('HSET', ARGV[1] .. 'channels:message-counts', ARGV[2], ARGV[6]) end
  if ARGV[7] ~= '' then redis.call('HSET', ARGV[1] .. 'channels:last-message-at', ARGV[2], ARGV[7]) end
end`;

/**
 * Inserts unless the id or the skeleton is taken, and answers the channel in the way: one script,
 * so two instances creating one channel (or two that look alike) cannot both succeed.
 * KEYS and ARGV as INSERT_LUA, then field/value pairs.
 */
const insertUnlessTaken = new RedisScript(`${INSERT_LUA}
local taken = holder()
if taken then return taken end
insert(8)
return nil`);

/**
 * A channel someone creates: the caps, the name, the insert and its creator's membership in one
 * script, so its cost does not grow with the channels and instances creating at once cannot pass a
 * cap. KEYS as INSERT_LUA, then members, the creator's joined, join counter. ARGV as INSERT_LUA,
 * then MAX_CHANNELS, MAX_CHANNELS_PER_USER, field/value pairs.
 */
const create = new RedisScript(`${INSERT_LUA}
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[8]) then return {'cap-reached', 'channels'} end
if redis.call('SCARD', KEYS[5]) >= tonumber(ARGV[9]) then return {'cap-reached', 'perUser'} end
local taken = holder()
if taken then return {'taken', taken} end
insert(10)
redis.call('SADD', KEYS[7], ARGV[4])
redis.call('ZADD', KEYS[8], redis.call('INCR', KEYS[9]), ARGV[2])
redis.call('HSET', ARGV[1] .. 'channels:member-counts', ARGV[2], 1)
return {'created'}`);

/**
 * The listing in one script. KEYS: listing version, counters version, listed, member counts,
 * message counts, last message times. ARGV: prefix, the listing version the caller holds ('-' for
 * none), its counters version, then the ids it lists. Answers `{versions, 'same'}` while neither
 * moved; `{versions, 'counters', {members, counts, times}}` (each in the order of the ids) while
 * only the counts did; otherwise `{versions, 'all', ids, hashes, {members, counts, times}}`.
 */
const listing = new RedisScript(`
local versions = {redis.call('GET', KEYS[1]) or '', redis.call('GET', KEYS[2]) or ''}
-- The counts of ids[first..] as three lists; HMGET in slices beyond 1000 (Lua's unpack has a limit).
local function counters(ids, first)
  local answer = {}
  for k = 4, 6 do
    if #ids < first then
      answer[#answer + 1] = {}
    elseif #ids - first < 1000 then
      answer[#answer + 1] = redis.call('HMGET', KEYS[k], unpack(ids, first))
    else
      local values = {}
      for from = first, #ids, 1000 do
        local slice = redis.call('HMGET', KEYS[k], unpack(ids, from, math.min(from + 999, #ids)))
        for i = 1, #slice do values[#values + 1] = slice[i] end
      end
      answer[#answer + 1] = values
    end
  end
  return answer
end
if versions[1] == ARGV[2] then
  if versions[2] == ARGV[3] then return {versions, 'same'} end
  return {versions, 'counters', counters(ARGV, 4)}
end
local ids = redis.call('SMEMBERS', KEYS[3])
local hashes = {}
for i, id in ipairs(ids) do hashes[i] = redis.call('HGETALL', ARGV[1] .. 'channel:' .. id) end
return {versions, 'all', ids, hashes, counters(ids, 1)}`);

/** KEYS: channel. ARGV: prefix, channel id, createdAt. */
const recordMessage = new RedisScript(`${RECORD_MESSAGE_LUA}
return recordMessage(ARGV[1], ARGV[2], ARGV[3])`);

/** KEYS: channel. ARGV: prefix, id. */
const findById = new RedisScript(`${RECORD_LUA}
return record(ARGV[1], ARGV[2])`);

/**
 * Sets (ARGV[1] non-empty) or removes the topic of an existing channel and answers the channel, so a
 * channel removed meanwhile is not brought back as a hash holding only a topic. KEYS: channel,
 * listing version.
 */
const setTopic = new RedisScript(`${LISTING_CHANGED_LUA}${RECORD_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'topic') else redis.call('HSET', KEYS[1], 'topic', ARGV[1]) end
if (redis.call('HGET', KEYS[1], 'dm') or '') == '' then listingChanged(KEYS[2]) end
return record(ARGV[2], ARGV[3])`);

/** KEYS: channel, members, joined, join counter, joined DMs. ARGV: channel id, user id, prefix. */
const addMember = new RedisScript(`${RECORD_LUA}
local channel = redis.call('HMGET', KEYS[1], 'id', 'dm')
if not channel[1] then return 0 end
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[1])
redis.call('HINCRBY', ARGV[3] .. 'channels:member-counts', ARGV[1], 1)
if channel[2] and channel[2] ~= '' then redis.call('SADD', KEYS[5], ARGV[1]) else countersChanged(ARGV[3]) end
return 1`);

/** KEYS: members, joined, last opened, joined DMs. ARGV: channel id, user id, prefix. */
const removeMember = new RedisScript(`${RECORD_LUA}
local removed = redis.call('SREM', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if removed == 1 then
  redis.call('HINCRBY', ARGV[3] .. 'channels:member-counts', ARGV[1], -1)
  countersChanged(ARGV[3])
end
return removed`);

/**
 * What a user's session needs of their channels, in one script: KEYS joined, last opened, joined
 * DMs; ARGV prefix, '1' to include the direct conversations. Answers `{ids, last or '', {{hash,
 * members}, ...}}`.
 */
const membershipOf = new RedisScript(`${RECORD_LUA}
local joined = redis.call('ZRANGE', KEYS[1], 0, -1)
local last = redis.call('GET', KEYS[2]) or ''
local dms = {}
if ARGV[2] == '1' then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    local hash = record(ARGV[1], id)
    if #hash > 0 then dms[#dms + 1] = {hash, redis.call('SCARD', ARGV[1] .. 'channel:' .. id .. ':members')} end
  end
end
return {joined, last, dms}`);

/**
 * Leaves nothing keyed by the user: memberships, join order, last channel, created-by (the
 * channels themselves stay). KEYS: joined, last opened, created-by, joined DMs. ARGV: prefix,
 * user id.
 */
const removeUser = new RedisScript(`${RECORD_LUA}
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do
  if redis.call('SREM', ARGV[1] .. 'channel:' .. id .. ':members', ARGV[2]) == 1 then
    redis.call('HINCRBY', ARGV[1] .. 'channels:member-counts', id, -1)
  end
end
if #ids > 0 then countersChanged(ARGV[1]) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 0`);

/**
 * Removes a channel nobody is a member of, in one step, so a join cannot slip in between the
 * check and the removal. KEYS: channel, members, by-skeleton, listed, dms, listing version. ARGV:
 * id, prefix.
 */
const removeIfEmpty = new RedisScript(`${LISTING_CHANGED_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('SCARD', KEYS[2]) > 0 then return 0 end
for _, counter in ipairs({'member-counts', 'message-counts', 'last-message-at'}) do
  redis.call('HDEL', ARGV[2] .. 'channels:' .. counter, ARGV[1])
end
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

/** `{{hash, members}, ...}` as the membership script answers them. */
function toListed(entries: unknown): ListedChannel[] {
  const listed: ListedChannel[] = [];
  for (const [hash, members] of entries as [unknown, number][]) {
    const record = toRecord(hash);
    if (record) listed.push({ record, members: Number(members) });
  }
  return listed;
}

/** One of the listing script's count lists, in the order of its ids: null for none. */
type Counts = (string | null)[];

/** `listed` with the counts the listing script answered for it (at `i`). */
function counted(
  listed: ListedChannel,
  members: Counts,
  counts: Counts,
  times: Counts,
  i: number,
): ListedChannel {
  const now = withActivity(listed, { messageCount: Number(counts[i] || 0), lastMessageAt: times[i] || null });
  const memberCount = Number(members[i] || 0);
  return now.members === memberCount ? now : { ...now, members: memberCount };
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
    return [
      KEY_PREFIX,
      channel.id,
      channel.skeleton,
      channel.createdBy,
      channel.dm ? '1' : '',
      String(channel.messageCount),
      channel.lastMessageAt ?? '',
    ];
  }

  findById(id: string): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(await findById.run(redis, [keys.channel(id)], [KEY_PREFIX, id])),
    );
  }

  findAll(): Promise<ChannelRecord[]> {
    return this.store.run(async (redis) => {
      const [listed, dms] = await Promise.all([redis.smembers(keys.listed), redis.smembers(keys.dms)]);
      // Sent together: ioredis pipelines commands issued in the same tick.
      const hashes = await Promise.all(
        [...listed, ...dms].map((id) => findById.run(redis, [keys.channel(id)], [KEY_PREFIX, id])),
      );
      return hashes.map(toRecord).filter((record): record is ChannelRecord => record !== undefined);
    });
  }

  /** The version is the listing version and the counters version, `listing/counters`. */
  listing(known: ChannelListing | null): Promise<ChannelListing> {
    return this.store.run(async (redis) => {
      const [knownListing = '-', knownCounters = '-'] = known?.version.split('/') ?? [];
      const ids = known?.channels.map((listed) => listed.record.id) ?? [];
      const answer = (await listing.run(
        redis,
        [
          keys.listingVersion,
          keys.countersVersion,
          keys.listed,
          keys.memberCounts,
          keys.messageCounts,
          keys.lastMessageAt,
        ],
        [KEY_PREFIX, knownListing, knownCounters, ...ids],
      )) as [[string, string], 'same' | 'counters' | 'all', ...unknown[]];
      const [[listingVersion, countersVersion], kind] = answer;
      if (kind === 'same') return known!;
      const version = `${listingVersion}/${countersVersion}`;
      if (kind === 'counters') {
        const [, , [members, counts, times]] = answer as [unknown, unknown, Counts[]];
        const channels = known!.channels.map((listed, i) => counted(listed, members, counts, times, i));
        const same = channels.every((listed, i) => listed === known!.channels[i]);
        return { version, channels: same ? known!.channels : channels };
      }
      const [, , listedIds, hashes, [members, counts, times]] = answer as [
        unknown,
        unknown,
        string[],
        unknown[],
        Counts[],
      ];
      const channels: ListedChannel[] = [];
      listedIds.forEach((id, i) => {
        const record = toRecord(hashes[i]);
        if (record) channels.push(counted({ record, members: 0 }, members, counts, times, i));
      });
      return { version, channels };
    });
  }

  countCreatedBy(userId: string): Promise<number> {
    return this.store.run((redis) => redis.scard(keys.createdBy(userId)));
  }

  setTopic(id: string, topic: string | null): Promise<ChannelRecord | undefined> {
    return this.store.run(async (redis) =>
      toRecord(
        await setTopic.run(redis, [keys.channel(id), keys.listingVersion], [topic ?? '', KEY_PREFIX, id]),
      ),
    );
  }

  recordMessage(id: string, createdAt: string): Promise<void> {
    return this.store.run(async (redis) => {
      await recordMessage.run(redis, [keys.channel(id)], [KEY_PREFIX, id, createdAt]);
    });
  }

  addMember(id: string, userId: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await addMember.run(
          redis,
          [keys.channel(id), keys.members(id), keys.joined(userId), keys.joinCounter, keys.joinedDms(userId)],
          [id, userId, KEY_PREFIX],
        )) === 1,
    );
  }

  removeMember(id: string, userId: string): Promise<boolean> {
    return this.store.run(
      async (redis) =>
        (await removeMember.run(
          redis,
          [keys.members(id), keys.joined(userId), keys.lastOpened(userId), keys.joinedDms(userId)],
          [id, userId, KEY_PREFIX],
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
        [keys.joined(userId), keys.lastOpened(userId), keys.createdBy(userId), keys.joinedDms(userId)],
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
