import { LIMITS, type Message } from '@flack/contract';
import { channelKeys, RECORD_MESSAGE_LUA } from '../channels/redis-channels.repository.js';
import { KEY_PREFIX, RedisScript, type RedisStore } from '../redis/redis-store.js';
import {
  DEDUP_WINDOW,
  MessagesRepository,
  type AppendOutcome,
  type EarlierSend,
  type MessageDraft,
  type ReactionChange,
  type ReactionResult,
  type SendReceipt,
} from './messages.repository.js';

const keys = {
  /** The history: the newest LIMITS.historySize messages as JSON, oldest first. */
  messages: (channel: string) => `${KEY_PREFIX}channel:${channel}:messages`,
  seq: (channel: string) => `${KEY_PREFIX}channel:${channel}:seq`,
  /** clientId → its send's receipt as JSON (SendReceipt), for the channel's last DEDUP_WINDOW sends. */
  dedup: (channel: string) => `${KEY_PREFIX}channel:${channel}:dedup`,
  /** The same fields, oldest first, so the script knows which one falls out of the window. */
  dedupOrder: (channel: string) => `${KEY_PREFIX}channel:${channel}:dedup-order`,
};

/**
 * Lua that finds the earlier send of a clientId in the dedup window: `earlierSend(seq key, messages
 * key, dedup key, clientId, history size)` answers nil, or its receipt's JSON and, while the
 * history still holds it, the message's JSON (else false), found by seq as `replace` finds it.
 */
const EARLIER_SEND_LUA = `
local function earlierSend(seqKey, messagesKey, dedupKey, clientId, historySize)
  local receipt = redis.call('HGET', dedupKey, clientId)
  if not receipt then return nil end
  local index = cjson.decode(receipt).seq - tonumber(redis.call('GET', seqKey) or '0') - 1
  if index < -tonumber(historySize) then return {receipt, false} end
  return {receipt, redis.call('LINDEX', messagesKey, index)}
end`;

/**
 * A whole send in one script: the channel exists (its hash, channels' key), the author is a member
 * (its members set), the clientId is not sent within the window, then the message is numbered by
 * the channel's counter, appended, trimmed, its receipt kept in the window (its JSON built around
 * the seq like the message's), and counted in the channel's counters (the channels repository's
 * own `recordMessage` Lua: `messageCount`, and `lastMessageAt`, which only moves forward since
 * instances' clocks differ). One script, so
 * instances appending to one channel at once get consecutive seqs in list order, a retry racing
 * its original is stored once, and a member leaving cannot slip in between the check and the
 * append. Constant work per message, whatever the number of channels or members; one round trip.
 * KEYS: channel, members, seq, messages, dedup, dedup order. ARGV: author id, JSON before the seq,
 * JSON after it, dedup field, history size, dedup window, KEY_PREFIX, channel id, createdAt,
 * the receipt's JSON before its seq.
 * Answers `{'stored', seq, 1 if the message trimmed off carried files}`, `{'duplicate', receipt
 * JSON, message JSON or nil}`, `{'not-a-member',
 * name, 1 if a direct conversation}` or `{'no-channel'}`.
 */
const append = new RedisScript(`${RECORD_MESSAGE_LUA}${EARLIER_SEND_LUA}
local channel = redis.call('HMGET', KEYS[1], 'id', 'name', 'dm')
if not channel[1] then return {'no-channel'} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return {'not-a-member', channel[2], (channel[3] and channel[3] ~= '') and 1 or 0}
end
local earlier = earlierSend(KEYS[3], KEYS[4], KEYS[5], ARGV[4], ARGV[5])
if earlier then return {'duplicate', earlier[1], earlier[2]} end
local seq = redis.call('INCR', KEYS[3])
local evictedFiles = 0
if redis.call('RPUSH', KEYS[4], ARGV[2] .. seq .. ARGV[3]) > tonumber(ARGV[5]) then
  -- The oldest leaves; "files": can only be its key there (quotes in strings are escaped).
  if string.find(redis.call('LINDEX', KEYS[4], 0), '"files":', 1, true) then evictedFiles = 1 end
  redis.call('LTRIM', KEYS[4], -tonumber(ARGV[5]), -1)
end
redis.call('HSET', KEYS[5], ARGV[4], ARGV[10] .. seq .. '}')
if redis.call('RPUSH', KEYS[6], ARGV[4]) > tonumber(ARGV[6]) then
  redis.call('HDEL', KEYS[5], redis.call('LPOP', KEYS[6]))
end
recordMessage(ARGV[7], ARGV[8], ARGV[9])
return {'stored', seq, evictedFiles}`);

/**
 * The earlier send of a clientId (see EARLIER_SEND_LUA). KEYS: seq, messages, dedup. ARGV: clientId,
 * history size. Answers `{receipt JSON, message JSON or nil}`, or nil.
 */
const sentWith = new RedisScript(`${EARLIER_SEND_LUA}
return earlierSend(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2]) or false`);

/**
 * Compare-and-set of one message of the history, found by its seq (the list holds consecutive seqs
 * ending at the counter): replaced only if its JSON is still exactly the expected one. A late
 * retry reads the new version from the history (its receipt does not change).
 * KEYS: seq, messages. ARGV: expected JSON, next JSON, seq, history size.
 * Answers 1 when replaced, 0 when it changed meanwhile or is gone.
 */
const replace = new RedisScript(`
local index = tonumber(ARGV[3]) - tonumber(redis.call('GET', KEYS[1]) or '0') - 1
if index >= 0 or index < -tonumber(ARGV[4]) then return 0 end
if redis.call('LINDEX', KEYS[2], index) ~= ARGV[1] then return 0 end
redis.call('LSET', KEYS[2], index, ARGV[2])
return 1`);

/**
 * Lua that finds the message of KEYS[1] (the history) whose id is ARGV[1], from the newest end: its
 * `"id":"…"` text first, then the decoded id, since a reply holds its original's id too. Leaves
 * `index` (negative, from the end), `message` (decoded) and `stored` (its JSON), or nil.
 */
const FIND_BY_ID = `
local length = redis.call('LLEN', KEYS[1])
local needle = '"id":"' .. ARGV[1] .. '"'
local index, message, stored
for at = -1, -length, -1 do
  local json = redis.call('LINDEX', KEYS[1], at)
  if string.find(json, needle, 1, true) then
    local decoded = cjson.decode(json)
    if decoded.id == ARGV[1] then index, message, stored = at, decoded, json break end
  end
end`;

/** Every history in KEYS, whole, in order: one script for a reconnect's many channels. */
const recentOfEach = new RedisScript(`
local histories = {}
for i, key in ipairs(KEYS) do histories[i] = redis.call('LRANGE', key, 0, -1) end
return histories`);

/** One message of the history by id (see FIND_BY_ID): its JSON, or false. Only it crosses the wire. */
const findById = new RedisScript(`${FIND_BY_ID}
return stored or false`);

/**
 * One reaction added or taken back, read and written in one script so that people reacting to one
 * message at once, from any instance, are all kept: the steps of `withReaction` (reactions.ts) on
 * the decoded message, found by FIND_BY_ID.
 *
 * cjson writes its own JSON: keys in another order (JSON.parse and JSON.stringify keep whatever
 * order they find, so `replace`'s comparison still holds), and `/` and DEL escaped, which
 * JSON.stringify does not do: undone here (only where the backslash escapes, not where it is an
 * escaped backslash itself), so that a message read back and written by `replace` compares equal.
 * An empty array would come back as `{}`: `reactions` and `files` are absent when empty instead.
 * KEYS: messages. ARGV: id, emoji, user id, user name, 1 to add / 0 to take back,
 * LIMITS.reactionsPerMessage. Answers `{outcome}` or `{outcome, message JSON}`.
 */
const react = new RedisScript(`${FIND_BY_ID}
if not message or message.deletedAt then return {'gone'} end
local reactions = message.reactions or {}
local found, listed
for position, reaction in ipairs(reactions) do
  if reaction.emoji == ARGV[2] then
    found = position
    for _, user in ipairs(reaction.users) do if user.id == ARGV[3] then listed = true end end
  end
end
local add = ARGV[5] == '1'
if add == (listed == true) then return {'unchanged', stored} end
if add and not found and #reactions >= tonumber(ARGV[6]) then return {'full', stored} end
if add and found then
  table.insert(reactions[found].users, {id = ARGV[3], name = ARGV[4]})
elseif add then
  table.insert(reactions, {emoji = ARGV[2], users = {{id = ARGV[3], name = ARGV[4]}}})
else
  local users = reactions[found].users
  for position = #users, 1, -1 do if users[position].id == ARGV[3] then table.remove(users, position) end end
  if #users == 0 then table.remove(reactions, found) end
end
message.reactions = #reactions > 0 and reactions or nil
if message.files and next(message.files) == nil then message.files = nil end
message.revision = (message.revision or 0) + 1
local json = cjson.encode(message)
json = string.gsub(json, '(\\\\+)/', function(run) return string.sub(run, 2) .. '/' end)
json = string.gsub(json, '(\\\\+)u007f', function(run)
  if #run % 2 == 1 then return string.sub(run, 2) .. '\\127' end
end)
redis.call('LSET', KEYS[1], index, json)
return {'changed', json}`);

/** Each channel's newest messages as JSON in a Redis list, shared by every instance. */
export class RedisMessagesRepository extends MessagesRepository {
  constructor(private readonly store: RedisStore) {
    super();
  }

  append(draft: MessageDraft): Promise<AppendOutcome> {
    const { id, channel, author, text, createdAt, clientId, replyTo, files } = draft;
    // The JSON around the seq, which only the script knows; fields in the same order as a Message
    // (JSON.stringify leaves out an absent replyTo or files).
    const before = `${JSON.stringify({ id, channel }).slice(0, -1)},"seq":`;
    const after = `,${JSON.stringify({ author, text, createdAt, clientId, replyTo, files }).slice(1)}`;
    // The receipt the same way: a SendReceipt with its seq last.
    const receipt = `${JSON.stringify({ id, createdAt, authorId: author.id }).slice(0, -1)},"seq":`;
    return this.store.run(async (redis) => {
      const [outcome, value, more] = (await append.run(
        redis,
        [
          channelKeys.channel(channel),
          channelKeys.members(channel),
          keys.seq(channel),
          keys.messages(channel),
          keys.dedup(channel),
          keys.dedupOrder(channel),
        ],
        [
          author.id,
          before,
          after,
          clientId,
          LIMITS.historySize,
          DEDUP_WINDOW,
          KEY_PREFIX,
          channel,
          createdAt,
          receipt,
        ],
      )) as [string, number | string | undefined, number | string | null | undefined];
      if (outcome === 'no-channel') return { outcome };
      if (outcome === 'not-a-member') return { outcome, channel: { name: String(value), dm: more === 1 } };
      if (outcome === 'duplicate') return { outcome, ...toEarlierSend(String(value), more as string | null) };
      const message: Message = { id, channel, seq: Number(value), author, text, createdAt, clientId };
      if (replyTo) message.replyTo = replyTo;
      if (files) message.files = files;
      return { outcome: 'stored', message, evictedFiles: more === 1 };
    });
  }

  async sentWith(channel: string, clientId: string): Promise<EarlierSend | undefined> {
    const found = (await this.store.run((redis) =>
      sentWith.run(
        redis,
        [keys.seq(channel), keys.messages(channel), keys.dedup(channel)],
        [clientId, LIMITS.historySize],
      ),
    )) as [string, string | null] | null;
    return found ? toEarlierSend(...found) : undefined;
  }

  recent(channel: string): Promise<Message[]> {
    return this.store.run(async (redis) =>
      (await redis.lrange(keys.messages(channel), 0, -1)).map((json) => JSON.parse(json) as Message),
    );
  }

  override async recentOfEach(channels: readonly string[]): Promise<Message[][]> {
    if (channels.length === 0) return [];
    const histories = (await this.store.run((redis) =>
      recentOfEach.run(
        redis,
        channels.map((channel) => keys.messages(channel)),
        [],
      ),
    )) as string[][];
    return histories.map((history) => history.map((json) => JSON.parse(json) as Message));
  }

  async find(channel: string, id: string): Promise<Message | undefined> {
    const json = (await this.store.run((redis) => findById.run(redis, [keys.messages(channel)], [id]))) as
      string | null;
    return json ? (JSON.parse(json) as Message) : undefined;
  }

  async react(channel: string, id: string, { emoji, user, add }: ReactionChange): Promise<ReactionResult> {
    const [outcome, json] = (await this.store.run((redis) =>
      react.run(
        redis,
        [keys.messages(channel)],
        [id, emoji, user.id, user.name, add ? 1 : 0, LIMITS.reactionsPerMessage],
      ),
    )) as [ReactionResult['outcome'], string?];
    if (outcome === 'gone') return { outcome };
    return { outcome, message: JSON.parse(json!) as Message };
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
          [keys.seq(channel), keys.messages(channel)],
          [JSON.stringify(expected), JSON.stringify(next), expected.seq, LIMITS.historySize],
        )) === 1,
    );
  }
}

/** An earlier send from what the scripts answer: its receipt's JSON, and the message's while in the history. */
function toEarlierSend(receiptJson: string, messageJson: string | null): EarlierSend {
  const sent = JSON.parse(receiptJson) as SendReceipt;
  return messageJson ? { sent, message: JSON.parse(messageJson) as Message } : { sent };
}
