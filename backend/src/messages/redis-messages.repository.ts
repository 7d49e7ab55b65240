import { LIMITS, type Message } from '@flack/contract';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import {
  DEDUP_WINDOW,
  MessagesRepository,
  type AppendResult,
  type MessageDraft,
} from './messages.repository.js';

const keys = {
  /** The history: the newest LIMITS.historySize messages as JSON, oldest first. */
  messages: (channel: string) => `${KEY_PREFIX}channel:${channel}:messages`,
  seq: (channel: string) => `${KEY_PREFIX}channel:${channel}:seq`,
  /** clientId → the message as JSON, for the channel's last DEDUP_WINDOW messages. */
  dedup: (channel: string) => `${KEY_PREFIX}channel:${channel}:dedup`,
  /** The same fields, oldest first, so the script knows which one falls out of the window. */
  dedupOrder: (channel: string) => `${KEY_PREFIX}channel:${channel}:dedup-order`,
};

/**
 * Stores a message once per clientId within the window, numbered by the channel's
 * counter: one script, so instances appending to one channel at once get consecutive seqs in list
 * order, and a retry racing its original is stored once. Constant work per message.
 * KEYS: seq, messages, dedup, dedup order. ARGV: JSON before the seq, JSON after it, dedup field,
 * history size, dedup window. Answers `{0, seq}` when stored, `{1, stored JSON}` for a duplicate.
 */
const append = new RedisScript(`
local stored = redis.call('HGET', KEYS[3], ARGV[3])
if stored then return {1, stored} end
local seq = redis.call('INCR', KEYS[1])
local json = ARGV[1] .. seq .. ARGV[2]
redis.call('RPUSH', KEYS[2], json)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
redis.call('HSET', KEYS[3], ARGV[3], json)
if redis.call('RPUSH', KEYS[4], ARGV[3]) > tonumber(ARGV[5]) then
  redis.call('HDEL', KEYS[3], redis.call('LPOP', KEYS[4]))
end
return {0, seq}`);

/**
 * Compare-and-set of one message of the history, found by its seq (the list holds consecutive seqs
 * ending at the counter): replaced only if its JSON is still exactly the expected one, and its
 * dedup entry with it, so a late retry answers the new version.
 * KEYS: seq, messages, dedup. ARGV: expected JSON, next JSON, seq, history size, dedup field.
 * Answers 1 when replaced, 0 when it changed meanwhile or is gone.
 */
const replace = new RedisScript(`
local index = tonumber(ARGV[3]) - tonumber(redis.call('GET', KEYS[1]) or '0') - 1
if index >= 0 or index < -tonumber(ARGV[4]) then return 0 end
if redis.call('LINDEX', KEYS[2], index) ~= ARGV[1] then return 0 end
redis.call('LSET', KEYS[2], index, ARGV[2])
if redis.call('HGET', KEYS[3], ARGV[5]) == ARGV[1] then redis.call('HSET', KEYS[3], ARGV[5], ARGV[2]) end
return 1`);

/** Each channel's newest messages as JSON in a Redis list, shared by every instance. */
export class RedisMessagesRepository extends MessagesRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  append(draft: MessageDraft): Promise<AppendResult> {
    const { id, channel, author, text, createdAt, clientId } = draft;
    // The JSON around the seq, which only the script knows; fields in the same order as a Message.
    const before = `${JSON.stringify({ id, channel }).slice(0, -1)},"seq":`;
    const after = `,${JSON.stringify({ author, text, createdAt, clientId }).slice(1)}`;
    return this.store.run(async (redis) => {
      const [duplicate, value] = (await append.run(
        redis,
        [keys.seq(channel), keys.messages(channel), keys.dedup(channel), keys.dedupOrder(channel)],
        [before, after, clientId, LIMITS.historySize, DEDUP_WINDOW],
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

  async find(channel: string, id: string): Promise<Message | undefined> {
    return (await this.recent(channel)).find((message) => message.id === id);
  }

  async removeChannel(channel: string): Promise<void> {
    // The seq key stays (see MessagesRepository.removeChannel).
    await this.store.run((redis) =>
      redis.del(keys.messages(channel), keys.dedup(channel), keys.dedupOrder(channel)),
    );
  }

  async replace(channel: string, expected: Message, next: Message): Promise<boolean> {
    if (next.id !== expected.id || next.seq !== expected.seq) {
      throw new RangeError('A replacement keeps the id and seq of the message it replaces.');
    }
    return this.store.run(
      async (redis) =>
        (await replace.run(
          redis,
          [keys.seq(channel), keys.messages(channel), keys.dedup(channel)],
          [
            JSON.stringify(expected),
            JSON.stringify(next),
            expected.seq,
            LIMITS.historySize,
            expected.clientId,
          ],
        )) === 1,
    );
  }
}
