import { LIMITS, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import {
  MessagesRepository,
  type AppendResult,
  type ChangeResult,
  type MessageChange,
  type MessageDraft,
} from './messages.repository.js';

/**
 * How long a `clientId` is remembered for deduplication. A retry comes within seconds, or when a
 * client that was offline reconnects; entries expire on their own, so memory stays bounded.
 */
const DEDUP_TTL_SECONDS = 60 * 60;

const keys = {
  messages: (channel: string) => `${KEY_PREFIX}channel:${channel}:messages`,
  seq: (channel: string) => `${KEY_PREFIX}channel:${channel}:seq`,
  dedup: (authorId: string, clientId: string) => `${KEY_PREFIX}dedup:${authorId}:${clientId}`,
};

/**
 * Stores a message once per author and clientId, numbered by the channel's counter, in a list
 * trimmed to the newest LIMITS.historySize: one script, so instances appending to one channel at
 * once get consecutive seqs in list order, and a retry racing its original is stored once.
 * KEYS: dedup, seq, messages. ARGV: JSON before the seq, JSON after it, cap, dedup TTL.
 * Answers `{0, seq}` when stored, `{1, stored JSON}` for a duplicate.
 */
const append = new RedisScript(`
local stored = redis.call('GET', KEYS[1])
if stored then return {1, stored} end
local seq = redis.call('INCR', KEYS[2])
local json = ARGV[1] .. seq .. ARGV[2]
redis.call('RPUSH', KEYS[3], json)
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[3]), -1)
redis.call('SET', KEYS[1], json, 'EX', ARGV[4])
return {0, seq}`);

/**
 * Edits or deletes one stored message in place, checking the author: one script, so two instances
 * deleting the same message at once remove it once. The dedup entry of its send is updated too, so
 * a late retry does not bring back the old text.
 * KEYS: messages. ARGV: id, author id, 'edit' | 'delete', text, time, dedup key prefix.
 * Answers `{0}` not found (or deleted), `{1}` not the author's, `{2, JSON}` changed.
 */
const change = new RedisScript(`
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for index, json in ipairs(items) do
  local message = cjson.decode(json)
  if message.id == ARGV[1] then
    if message.deletedAt then return {0} end
    if message.author.id ~= ARGV[2] then return {1} end
    if ARGV[3] == 'delete' then
      message.text = ''
      message.deletedAt = ARGV[5]
    else
      message.text = ARGV[4]
      message.editedAt = ARGV[5]
    end
    local changed = cjson.encode(message)
    redis.call('LSET', KEYS[1], index - 1, changed)
    redis.call('SET', ARGV[6] .. ARGV[2] .. ':' .. message.clientId, changed, 'XX', 'KEEPTTL')
    return {2, changed}
  end
end
return {0}`);

/** Each channel's newest messages as JSON in a Redis list, shared by every instance. */
export class RedisMessagesRepository extends MessagesRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    const id = randomUUID();
    const createdAt = new Date().toISOString();
    const { channel, author, text, clientId } = draft;
    // The JSON around the seq, which only the script knows; fields in the same order as a Message.
    const before = `${JSON.stringify({ id, channel }).slice(0, -1)},"seq":`;
    const after = `,${JSON.stringify({ author, text, createdAt, clientId }).slice(1)}`;
    return this.store.run(async (redis) => {
      const [duplicate, value] = (await append.run(
        redis,
        [keys.dedup(author.id, clientId), keys.seq(channel), keys.messages(channel)],
        [before, after, LIMITS.historySize, DEDUP_TTL_SECONDS],
      )) as [number, number | string];
      if (duplicate === 1) return { message: JSON.parse(String(value)) as Message, duplicate: true };
      const message: Message = { id, channel, seq: Number(value), author, text, createdAt, clientId };
      return { message, duplicate: false };
    });
  }

  change(channel: string, id: string, authorId: string, edit: MessageChange): Promise<ChangeResult> {
    const [kind, text, time] =
      'deletedAt' in edit ? ['delete', '', edit.deletedAt] : ['edit', edit.text, edit.editedAt];
    return this.store.run(async (redis) => {
      const [outcome, json] = (await change.run(
        redis,
        [keys.messages(channel)],
        [id, authorId, kind, text, time, `${KEY_PREFIX}dedup:`],
      )) as [number, string?];
      if (outcome === 2 && json !== undefined) return { message: JSON.parse(json) as Message };
      return { refused: outcome === 1 ? 'FORBIDDEN' : 'NOT_FOUND' };
    });
  }

  recent(channel: string): Promise<Message[]> {
    return this.store.run(async (redis) =>
      (await redis.lrange(keys.messages(channel), 0, -1)).map((json) => JSON.parse(json) as Message),
    );
  }
}
