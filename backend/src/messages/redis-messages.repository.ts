import { LIMITS, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import { MessagesRepository, type AppendResult, type MessageDraft } from './messages.repository.js';

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

  recent(channel: string): Promise<Message[]> {
    return this.store.run(async (redis) =>
      (await redis.lrange(keys.messages(channel), 0, -1)).map((json) => JSON.parse(json) as Message),
    );
  }
}
