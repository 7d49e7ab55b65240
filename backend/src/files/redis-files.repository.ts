import type { FileInfo } from '@flack/contract';
import { hashFields, KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import {
  FilesRepository,
  type ClaimProblem,
  type FileBytes,
  type FileRecord,
  type FileVariant,
  type Quotas,
  type QuotaProblem,
} from './files.repository.js';

/**
 * Values are written in pieces of this size: one command never carries a whole 10 MB file, so no
 * single write holds Redis (single-threaded) or trips the command timeout on a slow link. Just
 * under 1 MiB, so a piece and its string header fit jemalloc's 1 MiB size class: a piece of
 * exactly 1 MiB is rounded up to the 1.25 MiB class, a quarter more memory per stored byte.
 */
export const FILE_CHUNK_BYTES = 1024 * 1024 - 64;

const keys = {
  /** Hash: the record's fields (`info` JSON, owner, bytes, channel, clientId, seq, expiresAt, chunk counts). */
  file: (id: string) => `${KEY_PREFIX}file:${id}`,
  /** Hash: `c:<n>` content pieces and `t:<n>` thumbnail pieces, binary. */
  data: (id: string) => `${KEY_PREFIX}file:${id}:data`,
  /** Sorted set: uploads not attached yet, by when they expire. */
  expiring: `${KEY_PREFIX}files:expiring`,
  /** Sorted set: the channel's files by message seq (`+inf` while the message is not stored yet). */
  channel: (channel: string) => `${KEY_PREFIX}files:channel:${channel}`,
  /** Set: the owner's uploads not attached yet. */
  owned: (owner: string) => `${KEY_PREFIX}files:owner:${owner}`,
  /** The owner's reserved bytes. */
  used: (owner: string) => `${KEY_PREFIX}files:used:${owner}`,
  /** Everyone's reserved bytes. */
  total: `${KEY_PREFIX}files:total`,
};

/** Gives back ARGV-style bytes `b` from the user counter `used` (only if it still exists) and the total. */
const RELEASE_LUA = `
local function release(used, total, b)
  if redis.call('EXISTS', used) == 1 and redis.call('DECRBY', used, b) <= 0 then redis.call('DEL', used) end
  if redis.call('DECRBY', total, b) <= 0 then redis.call('DEL', total) end
end`;

/** KEYS: used, total. ARGV: bytes, per-user quota, total quota. Answers 0, or 1 (user) / 2 (total) when full. */
const reserve = new RedisScript(`
local b = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') + b > tonumber(ARGV[2]) then return 1 end
if tonumber(redis.call('GET', KEYS[2]) or '0') + b > tonumber(ARGV[3]) then return 2 end
redis.call('INCRBY', KEYS[1], b)
redis.call('INCRBY', KEYS[2], b)
return 0`);

/** KEYS: used, total. ARGV: bytes. */
const release = new RedisScript(`${RELEASE_LUA}
release(KEYS[1], KEYS[2], tonumber(ARGV[1]))
return 0`);

/**
 * All or none: ARGV prefix, owner, channel, clientId, expiresAt, ids... Answers {'unknown'|'attached', id}
 * or {'ok', record hash, ...}.
 */
const claim = new RedisScript(`
local prefix, owner, channel, clientId, expiresAt = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
for i = 6, #ARGV do
  local f = redis.call('HMGET', prefix .. 'file:' .. ARGV[i], 'owner', 'channel', 'clientId')
  if not f[1] or f[1] ~= owner then return {'unknown', ARGV[i]} end
  if f[2] and not (f[2] == channel and f[3] == clientId) then return {'attached', ARGV[i]} end
end
local answer = {'ok'}
for i = 6, #ARGV do
  local key = prefix .. 'file:' .. ARGV[i]
  redis.call('HSET', key, 'channel', channel, 'clientId', clientId)
  if not redis.call('HGET', key, 'seq') then
    redis.call('HSET', key, 'expiresAt', expiresAt)
    redis.call('ZADD', prefix .. 'files:expiring', expiresAt, ARGV[i])
    redis.call('ZADD', prefix .. 'files:channel:' .. channel, '+inf', ARGV[i])
  end
  answer[#answer + 1] = redis.call('HGETALL', key)
end
return answer`);

/** ARGV: prefix, channel, seq, ids... */
const attach = new RedisScript(`
local prefix, channel, seq = ARGV[1], ARGV[2], ARGV[3]
for i = 4, #ARGV do
  local key = prefix .. 'file:' .. ARGV[i]
  local f = redis.call('HMGET', key, 'owner', 'channel')
  if f[1] and f[2] == channel then
    redis.call('HSET', key, 'seq', seq)
    redis.call('HDEL', key, 'expiresAt')
    redis.call('ZREM', prefix .. 'files:expiring', ARGV[i])
    redis.call('SREM', prefix .. 'files:owner:' .. f[1], ARGV[i])
    redis.call('ZADD', prefix .. 'files:channel:' .. channel, seq, ARGV[i])
  end
end
return 0`);

/** ARGV: prefix, ids... Answers the bytes freed. */
const remove = new RedisScript(`${RELEASE_LUA}
local prefix = ARGV[1]
local freed = 0
for i = 2, #ARGV do
  local key = prefix .. 'file:' .. ARGV[i]
  local f = redis.call('HMGET', key, 'owner', 'bytes', 'channel')
  if f[1] then
    redis.call('DEL', key, key .. ':data')
    redis.call('ZREM', prefix .. 'files:expiring', ARGV[i])
    redis.call('SREM', prefix .. 'files:owner:' .. f[1], ARGV[i])
    if f[3] then redis.call('ZREM', prefix .. 'files:channel:' .. f[3], ARGV[i]) end
    local b = tonumber(f[2])
    release(prefix .. 'files:used:' .. f[1], prefix .. 'files:total', b)
    freed = freed + b
  end
end
return freed`);

/**
 * Files shared by every instance through Redis, so any instance serves any file. The bytes are
 * binary hash fields read with `hmgetBuffer`, in FILE_CHUNK_BYTES pieces; the record is a hash
 * the scripts change field by field (numbers as strings, never through Lua's JSON).
 */
export class RedisFilesRepository extends FilesRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  async reserve(owner: string, bytes: number, quotas: Quotas): Promise<QuotaProblem> {
    const answer = await this.store.run((redis) =>
      reserve.run(redis, [keys.used(owner), keys.total], [bytes, quotas.perUser, quotas.total]),
    );
    return answer === 1 ? 'user' : answer === 2 ? 'total' : null;
  }

  async release(owner: string, bytes: number): Promise<void> {
    await this.store.run((redis) => release.run(redis, [keys.used(owner), keys.total], [bytes]));
  }

  async save(record: FileRecord, content: Buffer, thumbnail?: Buffer): Promise<void> {
    const id = record.info.id;
    const content_ = pieces(content);
    const thumbnail_ = thumbnail ? pieces(thumbnail) : [];
    await this.store.run(async (redis) => {
      // Pieces first, the record last: a file is findable only once all its bytes are there. A
      // failure on the way takes back the pieces already written (best effort: Redis may be gone).
      try {
        for (const [i, piece] of content_.entries()) await redis.hset(keys.data(id), `c:${i}`, piece);
        for (const [i, piece] of thumbnail_.entries()) await redis.hset(keys.data(id), `t:${i}`, piece);
      } catch (error) {
        await redis.del(keys.data(id)).catch(() => undefined);
        throw error;
      }
      const fields: Record<string, string> = {
        ...recordFields(record),
        chunks: String(content_.length),
        contentBytes: String(content.length),
        thumbChunks: String(thumbnail_.length),
        thumbBytes: String(thumbnail?.length ?? 0),
      };
      const multi = redis.multi().hset(keys.file(id), fields);
      if (record.expiresAt !== undefined) multi.zadd(keys.expiring, record.expiresAt, id);
      if (record.seq === undefined) multi.sadd(keys.owned(record.owner), id);
      await multi.exec();
    });
  }

  async find(id: string): Promise<FileRecord | undefined> {
    const fields = await this.store.run((redis) => redis.hgetall(keys.file(id)));
    return recordOf(fields);
  }

  async read(id: string, variant: FileVariant): Promise<FileBytes | undefined> {
    const [count, length] = (
      await this.store.run((redis) =>
        redis.hmget(
          keys.file(id),
          variant === 'content' ? 'chunks' : 'thumbChunks',
          variant === 'content' ? 'contentBytes' : 'thumbBytes',
        ),
      )
    ).map(Number);
    if (!(count! > 0)) return undefined;
    const tag = variant === 'content' ? 'c' : 't';
    const store = this.store;
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let i = 0; i < count!; i++) {
        const piece = await store.run((redis) => redis.hgetBuffer(keys.data(id), `${tag}:${i}`));
        // Removed while it was being read: the download fails rather than end short unnoticed.
        if (!piece) throw new Error(`file ${id} was removed while it was being read`);
        yield piece;
      }
    }
    return { length: length!, pieces: pieces() };
  }

  async claim(owner: string, ids: string[], channel: string, clientId: string, expiresAt: number) {
    const answer = (await this.store.run((redis) =>
      claim.run(redis, [], [KEY_PREFIX, owner, channel, clientId, expiresAt, ...ids]),
    )) as [string, ...unknown[]];
    const [status, ...rest] = answer;
    if (status !== 'ok') {
      return { problem: { id: String(rest[0]), reason: status } as NonNullable<ClaimProblem> };
    }
    return { files: rest.map((hash) => recordOf(hashFields(hash))!).filter(Boolean) };
  }

  async attach(channel: string, ids: string[], seq: number): Promise<void> {
    if (ids.length === 0) return;
    await this.store.run((redis) => attach.run(redis, [], [KEY_PREFIX, channel, seq, ...ids]));
  }

  async remove(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return Number(await this.store.run((redis) => remove.run(redis, [], [KEY_PREFIX, ...ids])));
  }

  idsOfMessage(channel: string, seq: number): Promise<string[]> {
    return this.store.run((redis) => redis.zrangebyscore(keys.channel(channel), seq, seq));
  }

  idsUpTo(channel: string, seq: number): Promise<string[]> {
    return this.store.run((redis) => redis.zrangebyscore(keys.channel(channel), '-inf', seq));
  }

  idsOfChannel(channel: string): Promise<string[]> {
    return this.store.run((redis) => redis.zrange(keys.channel(channel), '0', '-1'));
  }

  expired(now: number): Promise<string[]> {
    return this.store.run((redis) => redis.zrangebyscore(keys.expiring, '-inf', now));
  }

  unattachedOf(owner: string): Promise<string[]> {
    return this.store.run((redis) => redis.smembers(keys.owned(owner)));
  }

  async forgetOwner(owner: string): Promise<void> {
    await this.store.run((redis) => redis.del(keys.used(owner), keys.owned(owner)));
  }

  async usage(owner: string): Promise<{ user: number; total: number }> {
    const [user, total] = await this.store.run((redis) => redis.mget(keys.used(owner), keys.total));
    return { user: Number(user ?? 0), total: Number(total ?? 0) };
  }
}

function pieces(buffer: Buffer): Buffer[] {
  const list: Buffer[] = [];
  for (let start = 0; start < buffer.length; start += FILE_CHUNK_BYTES) {
    list.push(buffer.subarray(start, start + FILE_CHUNK_BYTES));
  }
  return list.length > 0 ? list : [buffer];
}

function recordFields(record: FileRecord): Record<string, string> {
  const fields: Record<string, string> = {
    info: JSON.stringify(record.info),
    owner: record.owner,
    bytes: String(record.bytes),
  };
  if (record.channel !== undefined) fields['channel'] = record.channel;
  if (record.clientId !== undefined) fields['clientId'] = record.clientId;
  if (record.seq !== undefined) fields['seq'] = String(record.seq);
  if (record.expiresAt !== undefined) fields['expiresAt'] = String(record.expiresAt);
  return fields;
}

function recordOf(fields: Record<string, string> | undefined): FileRecord | undefined {
  if (!fields?.['info'] || !fields['owner']) return undefined;
  const record: FileRecord = {
    info: JSON.parse(fields['info']) as FileInfo,
    owner: fields['owner'],
    bytes: Number(fields['bytes']),
  };
  if (fields['channel'] !== undefined) record.channel = fields['channel'];
  if (fields['clientId'] !== undefined) record.clientId = fields['clientId'];
  if (fields['seq'] !== undefined) record.seq = Number(fields['seq']);
  if (fields['expiresAt'] !== undefined) record.expiresAt = Number(fields['expiresAt']);
  return record;
}
