import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LIMITS, type Message, type User } from '@flack/contract';
import type { ChannelRecord, ChannelsRepository } from '../channels/channels.repository.js';
import { InMemoryChannelsRepository } from '../channels/in-memory-channels.repository.js';
import { RedisChannelsRepository } from '../channels/redis-channels.repository.js';
import type { RedisStore } from '../redis/redis-store.js';
import { BACKENDS, closeStore, openStore } from '../../test/support/repository-backends.js';
import { InMemoryMessagesRepository } from './in-memory-messages.repository.js';
import {
  DEDUP_WINDOW,
  MessagesRepository,
  type MessageDraft,
  type ReactionChange,
  type SendReceipt,
} from './messages.repository.js';
import { RedisMessagesRepository } from './redis-messages.repository.js';

const alice: User = { id: 'u-alice', name: 'Alice' };
const bob: User = { id: 'u-bob', name: 'Bob' };
const slash: User = { id: 'u-slash', name: 'A/B \\ "C"' };
/** In no channel. */
const carol: User = { id: 'u-carol', name: 'Carol' };

/** A channel as ChannelsService creates it. */
function channelRecord(id: string, name: string, extra: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    id,
    name,
    skeleton: id,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: alice.id,
    messageCount: 0,
    lastMessageAt: null,
    ...extra,
  };
}

/** What the dedup window keeps of a stored message's send. */
const receiptOf = ({ id, seq, createdAt, author }: Message): SendReceipt => ({
  id,
  seq,
  createdAt,
  authorId: author.id,
});

let sent = 0;
/** A message as MessagesService stamps it: a fresh id and time on every call, retries included. */
function draft(overrides: Partial<MessageDraft> = {}): MessageDraft {
  sent++;
  return {
    id: `m-${sent}`,
    channel: 'general',
    author: alice,
    text: `hello ${sent}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) + sent * 1000).toISOString(),
    clientId: `c-${sent}`,
    ...overrides,
  };
}

describe.each(BACKENDS)('MessagesRepository (%s)', (backend) => {
  let store: RedisStore | null;
  let messages: MessagesRepository;
  let channels: ChannelsRepository;

  beforeEach(async () => {
    store = await openStore(backend);
    const inMemory = new InMemoryChannelsRepository();
    channels = store ? new RedisChannelsRepository(store) : inMemory;
    messages = store ? new RedisMessagesRepository(store) : new InMemoryMessagesRepository(() => inMemory);
    // The channels the drafts go to, with everyone who writes in them (carol aside).
    for (const [id, name] of [
      ['general', 'General'],
      ['random', 'Random'],
    ]) {
      await channels.insertUnlessTaken(channelRecord(id, name));
      for (const user of [alice, bob, slash]) await channels.addMember(id, user.id);
    }
  });
  afterEach(() => closeStore(store));

  /**
   * Appends a draft of a member: the message `append` answers when it stores one, or finds a
   * duplicate still in the history.
   */
  async function append(draft: MessageDraft): Promise<{ message: Message; duplicate: boolean }> {
    const result = await messages.append(draft);
    if (result.outcome !== 'stored' && result.outcome !== 'duplicate') {
      throw new Error(`append refused: ${result.outcome}`);
    }
    if (!result.message) throw new Error('append answered a receipt only');
    return { message: result.message, duplicate: result.outcome === 'duplicate' };
  }

  /** What `append` answers a retry of `message`'s send with, while `current` is in the history. */
  const duplicateOf = (message: Message, current?: Message) =>
    current
      ? { outcome: 'duplicate', sent: receiptOf(message), message: current }
      : { outcome: 'duplicate', sent: receiptOf(message) };

  /** Appends `count` new messages to the channel, concurrently (each gets some seq). */
  async function fill(count: number, channel = 'general'): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => append(draft({ channel }))));
  }

  const seqsOf = async (channel = 'general') => (await messages.recent(channel)).map((m) => m.seq);

  describe('append and recent', () => {
    it('stores the draft as it is, numbered 1, 2, 3, ... per channel, oldest first', async () => {
      const first = draft();
      expect(await append(first)).toEqual({ message: { ...first, seq: 1 }, duplicate: false });
      await append(draft());
      await append(draft({ channel: 'random' }));
      expect(await seqsOf()).toEqual([1, 2]);
      expect(await seqsOf('random')).toEqual([1]);
      expect((await messages.recent('general'))[0]).toEqual({ ...first, seq: 1 });
    });

    it('answers several histories at once, in the order asked, an empty one for a channel without messages', async () => {
      await append(draft());
      await append(draft({ channel: 'random' }));
      await append(draft());
      const histories = await messages.recentOfEach(['random', 'nowhere', 'general']);
      expect(histories.map((history) => history.map((m) => [m.channel, m.seq]))).toEqual([
        [['random', 1]],
        [],
        [
          ['general', 1],
          ['general', 2],
        ],
      ]);
      expect(histories[2]).toEqual(await messages.recent('general'));
      expect(await messages.recentOfEach([])).toEqual([]);
    });

    it('answers an empty history for a channel without messages', async () => {
      expect(await messages.recent('nowhere')).toEqual([]);
    });

    it(`keeps the newest ${LIMITS.historySize} messages`, async () => {
      await fill(LIMITS.historySize + 5);
      const seqs = await seqsOf();
      expect(seqs).toHaveLength(LIMITS.historySize);
      expect(seqs[0]).toBe(6);
      expect(seqs.at(-1)).toBe(LIMITS.historySize + 5);
    });

    it('says whether the message an append pushes out of the history carried files', async () => {
      const files = [{ id: 'f-1', name: 'a "files": b.png', type: 'image/png', size: 3 }];
      const outcomes = [];
      outcomes.push(await messages.append(draft({ files })));
      outcomes.push(await messages.append(draft({ text: 'no "files": here' })));
      for (let i = 2; i < LIMITS.historySize + 2; i++) outcomes.push(await messages.append(draft()));
      const evicted = outcomes.map((outcome) => outcome.outcome === 'stored' && outcome.evictedFiles);
      // The 101st pushes out the first, which had a file; the 102nd the second, whose text only says so.
      expect(evicted.map((flag, i) => (flag ? i + 1 : 0)).filter(Boolean)).toEqual([LIMITS.historySize + 1]);
      expect(outcomes.every((outcome) => outcome.outcome === 'stored')).toBe(true);
    });

    it('gives concurrent appends to one channel consecutive seqs, in history order', async () => {
      await fill(30);
      expect(await seqsOf()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });
  });

  describe('dedup', () => {
    it('answers a retry (same author and clientId) with the stored message and stores nothing', async () => {
      const original = draft();
      const { message } = await append(original);
      const retry = await messages.append(draft({ clientId: original.clientId, text: 'again' }));
      expect(retry).toEqual(duplicateOf(message, message));
      expect(await seqsOf()).toEqual([1]);
      expect((await append(draft())).message.seq).toBe(2);
    });

    it('keys the window by clientId alone (the service refuses another author’s), per channel', async () => {
      const original = draft();
      const { message } = await append(original);
      const fromBob = await messages.append(draft({ clientId: original.clientId, author: bob }));
      const elsewhere = await append(draft({ clientId: original.clientId, channel: 'random' }));
      // The receipt names the original's author, whom the service checks the retry against.
      expect(fromBob).toEqual(duplicateOf(message, message));
      expect(await seqsOf()).toEqual([1]);
      expect([elsewhere.duplicate, elsewhere.message.seq]).toEqual([false, 1]);
    });

    it('answers a retry within the history with the message as it is now, found by its seq', async () => {
      const original = draft();
      const { message } = await append(original);
      await fill(5);
      const edited = { ...message, text: 'better', editedAt: '2026-02-01T00:00:00.000Z', revision: 1 };
      expect(await messages.replace('general', message, edited)).toBe(true);
      const reacted = await messages.react('general', message.id, { emoji: '👍', user: bob, add: true });
      expect(reacted).toMatchObject({ outcome: 'changed', message: { text: 'better', revision: 2 } });
      await fill(3);
      const current = (reacted as { message: Message }).message;
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(
        duplicateOf(message, current),
      );
      expect(await messages.sentWith('general', original.clientId)).toEqual({
        sent: receiptOf(message),
        message: current,
      });
    });

    it(`answers a retry whose original left the ${LIMITS.historySize}-message history with its receipt only`, async () => {
      const original = draft();
      const { message } = await append(original);
      await fill(LIMITS.historySize - 1);
      // The oldest message of the history is still answered whole.
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(
        duplicateOf(message, message),
      );
      await fill(1);
      expect((await messages.recent('general')).some((m) => m.id === message.id)).toBe(false);
      const retry = await messages.append(draft({ clientId: original.clientId, author: bob }));
      // Its id, seq, time and author, as when it was stored: enough for the ack and the author check.
      expect(retry).toEqual(duplicateOf(message));
      expect(retry).not.toHaveProperty('message');
      expect(await seqsOf()).toEqual(Array.from({ length: LIMITS.historySize }, (_, i) => i + 2));
    });

    it(`recognises a retry among the last ${DEDUP_WINDOW} messages of the channel, and no further`, async () => {
      const original = draft();
      const { message } = await append(original);
      await fill(DEDUP_WINDOW - 1);
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(duplicateOf(message));

      await fill(1);
      const late = await append(draft({ clientId: original.clientId }));
      expect([late.duplicate, late.message.seq]).toEqual([false, DEDUP_WINDOW + 2]);
      // Stored anew, it is recognised again from now on.
      const again = await messages.append(draft({ clientId: original.clientId }));
      expect(again).toEqual(duplicateOf(late.message, late.message));
    });

    it('counts the window per channel: traffic elsewhere does not push a message out', async () => {
      const original = draft();
      const { message } = await append(original);
      await fill(DEDUP_WINDOW + 10, 'random');
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(
        duplicateOf(message, message),
      );
    });

    it('sentWith answers what append would answer a retry with, and nothing beyond the window', async () => {
      const original = draft();
      const { message } = await append(original);
      const better = { ...message, text: 'better', revision: 1 };
      await messages.replace('general', message, better);
      expect(await messages.sentWith('general', original.clientId)).toEqual({
        sent: receiptOf(message),
        message: better,
      });
      await fill(LIMITS.historySize);
      // An edit changes no receipt.
      expect(await messages.sentWith('general', original.clientId)).toEqual({ sent: receiptOf(message) });
      expect(await messages.sentWith('random', original.clientId)).toBeUndefined();
      expect(await messages.sentWith('general', 'c-unknown')).toBeUndefined();
      await fill(DEDUP_WINDOW);
      expect(await messages.sentWith('general', original.clientId)).toBeUndefined();
    });

    it('stores one message when sends of one clientId race', async () => {
      const clientId = 'c-raced';
      const results = await Promise.all(Array.from({ length: 10 }, () => append(draft({ clientId }))));
      expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
      expect(new Set(results.map((result) => result.message.id)).size).toBe(1);
      expect(await seqsOf()).toEqual([1]);
    });
  });

  describe('membership, checked by the append itself', () => {
    /** Nothing of the draft anywhere: not in the history, not among retries, no seq used. */
    async function storedNothing(refused: MessageDraft): Promise<void> {
      expect(await messages.recent(refused.channel)).toEqual([]);
      expect(await messages.sentWith(refused.channel, refused.clientId)).toBeUndefined();
    }

    it('refuses an author who is not a member, naming the channel, and stores nothing', async () => {
      const refused = draft({ author: carol });
      expect(await messages.append(refused)).toEqual({
        outcome: 'not-a-member',
        channel: { name: 'General', dm: false },
      });
      await storedNothing(refused);
      expect((await append(draft())).message.seq).toBe(1);
    });

    it('refuses a channel that does not exist, and stores nothing', async () => {
      const refused = draft({ channel: 'nowhere' });
      expect(await messages.append(refused)).toEqual({ outcome: 'no-channel' });
      await storedNothing(refused);
    });

    it('says when the refused channel is a direct conversation (which the service does not name)', async () => {
      await channels.insertUnlessTaken(
        channelRecord('dm:ab', 'Alice, Bob', { createdBy: '', dm: [alice, bob] }),
      );
      await channels.addMember('dm:ab', alice.id);
      await channels.addMember('dm:ab', bob.id);
      expect((await append(draft({ channel: 'dm:ab' }))).message.seq).toBe(1);
      expect(await messages.append(draft({ channel: 'dm:ab', author: carol }))).toEqual({
        outcome: 'not-a-member',
        channel: { name: 'Alice, Bob', dm: true },
      });
    });

    it('counts each message it stores in its channel, the latest time only moving forward', async () => {
      const first = await append(draft({ createdAt: '2026-01-01T10:00:02.000Z' }));
      // Stamped by an instance whose clock is behind: counted, but the time stays.
      await append(draft({ createdAt: '2026-01-01T10:00:01.000Z' }));
      await append(draft({ clientId: first.message.clientId }));
      await messages.append(draft({ author: carol }));
      expect(await channels.findById('general')).toMatchObject({
        messageCount: 2,
        lastMessageAt: '2026-01-01T10:00:02.000Z',
      });
      expect(await channels.findById('random')).toMatchObject({ messageCount: 0, lastMessageAt: null });
    });

    it('checks membership before the retry window: a retry after leaving is refused', async () => {
      const original = draft();
      await append(original);
      await channels.removeMember('general', alice.id);
      expect(await messages.append(draft({ clientId: original.clientId }))).toMatchObject({
        outcome: 'not-a-member',
      });
      expect(await messages.append(draft({ clientId: 'c-after-leaving' }))).toMatchObject({
        outcome: 'not-a-member',
      });
      expect((await messages.recent('general')).map((message) => message.clientId)).toEqual([
        original.clientId,
      ]);
    });
  });

  it('removeChannel forgets messages and retries but goes on numbering where the channel stopped', async () => {
    const original = draft();
    await append(original);
    await fill(2);
    await messages.removeChannel('general');
    expect(await messages.recent('general')).toEqual([]);
    expect(await messages.find('general', original.id)).toBeUndefined();
    const again = await append(draft({ clientId: original.clientId }));
    expect(again).toMatchObject({ duplicate: false, message: { seq: 4 } });
    await messages.removeChannel('never-there');
  });

  describe('find', () => {
    it('answers a message of the history by id, and nothing for other ids or channels', async () => {
      await fill(3);
      const [, second] = await messages.recent('general');
      expect(await messages.find('general', second!.id)).toEqual(second);
      expect(await messages.find('general', 'm-unknown')).toBeUndefined();
      expect(await messages.find('random', second!.id)).toBeUndefined();
    });

    it('does not find a message that left the history', async () => {
      const { message } = await append(draft());
      await fill(LIMITS.historySize);
      expect(await messages.find('general', message.id)).toBeUndefined();
    });
  });

  describe('replace', () => {
    const edited = (message: Message, text: string): Message => ({
      ...message,
      text,
      editedAt: '2026-02-01T00:00:00.000Z',
    });
    const tombstone = (message: Message): Message => ({
      ...message,
      text: '',
      deletedAt: '2026-02-01T00:00:00.000Z',
    });

    it('replaces the message it found, in place, keeping its seq', async () => {
      await fill(3);
      const [, second] = await messages.recent('general');
      const found = (await messages.find('general', second!.id))!;
      expect(await messages.replace('general', found, edited(found, 'better'))).toBe(true);
      expect(await messages.find('general', found.id)).toEqual(edited(found, 'better'));
      const history = await messages.recent('general');
      expect(history.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(history[1]).toEqual(edited(found, 'better'));
    });

    it('refuses when the message changed since it was read (compare-and-set)', async () => {
      const { message } = await append(draft());
      expect(await messages.replace('general', message, edited(message, 'first'))).toBe(true);
      expect(await messages.replace('general', message, tombstone(message))).toBe(false);
      expect(await messages.find('general', message.id)).toEqual(edited(message, 'first'));
    });

    it('lets exactly one of several racing replacements win', async () => {
      const { message } = await append(draft());
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((text) => messages.replace('general', message, edited(message, text))),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c', 'd'][outcomes.indexOf(true)]!;
      expect(await messages.find('general', message.id)).toEqual(edited(message, winner));
    });

    it('refuses a message that is gone: never stored, another channel, out of the history', async () => {
      const { message } = await append(draft());
      const ghost: Message = { ...message, id: 'm-ghost', seq: 2 };
      expect(await messages.replace('general', ghost, edited(ghost, 'x'))).toBe(false);
      expect(await messages.replace('random', message, edited(message, 'x'))).toBe(false);
      await fill(LIMITS.historySize);
      expect(await messages.replace('general', message, edited(message, 'x'))).toBe(false);
    });

    it('keeps a tombstone in its place, and the seqs after it continue', async () => {
      await fill(2);
      const [first] = await messages.recent('general');
      expect(await messages.replace('general', first!, tombstone(first!))).toBe(true);
      await fill(1);
      const history = await messages.recent('general');
      expect(history.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(history[0]).toEqual(tombstone(first!));
    });

    it('answers a late retry with the current version in the history, and its unchanged receipt beyond', async () => {
      const original = draft();
      const { message } = await append(original);
      const better = edited(message, 'better');
      await messages.replace('general', message, better);
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(
        duplicateOf(message, better),
      );

      await messages.replace('general', better, tombstone(better));
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(
        duplicateOf(message, tombstone(better)),
      );
      await fill(LIMITS.historySize);
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(duplicateOf(message));
    });

    it('refuses a replacement with another id or seq', async () => {
      const { message } = await append(draft());
      await expect(messages.replace('general', message, { ...message, seq: 9 })).rejects.toThrow(RangeError);
      await expect(messages.replace('general', message, { ...message, id: 'other' })).rejects.toThrow(
        RangeError,
      );
      expect(await messages.find('general', message.id)).toEqual(message);
    });
  });
  describe('react', () => {
    const people = (count: number): User[] =>
      Array.from({ length: count }, (_, i) => ({ id: `u-${i}`, name: `Person ${i}` }));
    const add = (user: User, emoji = '👍'): ReactionChange => ({ emoji, user, add: true });
    const takeBack = (user: User, emoji = '👍'): ReactionChange => ({ emoji, user, add: false });

    it('lists each emoji in the order it was first chosen, and people in the order they reacted', async () => {
      const { message } = await append(draft());
      expect(await messages.react('general', message.id, add(bob))).toEqual({
        outcome: 'changed',
        message: { ...message, revision: 1, reactions: [{ emoji: '👍', users: [bob] }] },
      });
      await messages.react('general', message.id, add(alice, '🎉'));
      await messages.react('general', message.id, add(alice));
      const stored = await messages.find('general', message.id);
      expect(stored).toEqual({
        ...message,
        revision: 3,
        reactions: [
          { emoji: '👍', users: [bob, alice] },
          { emoji: '🎉', users: [alice] },
        ],
      });
      expect((await messages.recent('general'))[0]).toEqual(stored);
    });

    it('changes nothing for a second reaction of one person, or taking back one they do not have', async () => {
      const { message } = await append(draft());
      const { message: reacted } = (await messages.react('general', message.id, add(bob))) as {
        message: Message;
      };
      expect(await messages.react('general', message.id, add(bob))).toEqual({
        outcome: 'unchanged',
        message: reacted,
      });
      expect(await messages.react('general', message.id, takeBack(alice))).toEqual({
        outcome: 'unchanged',
        message: reacted,
      });
      expect(await messages.react('general', message.id, takeBack(bob, '🎉'))).toMatchObject({
        outcome: 'unchanged',
      });
      expect(await messages.find('general', message.id)).toEqual(reacted);
    });

    it('takes a reaction back, drops an emoji nobody has left, and leaves no reactions field', async () => {
      const { message } = await append(draft());
      await messages.react('general', message.id, add(alice));
      await messages.react('general', message.id, add(bob));
      await messages.react('general', message.id, add(bob, '🎉'));
      await messages.react('general', message.id, takeBack(alice));
      await messages.react('general', message.id, takeBack(bob, '🎉'));
      expect(await messages.find('general', message.id)).toEqual({
        ...message,
        revision: 5,
        reactions: [{ emoji: '👍', users: [bob] }],
      });
      await messages.react('general', message.id, takeBack(bob));
      const bare = await messages.find('general', message.id);
      expect(bare).toEqual({ ...message, revision: 6 });
      expect(bare).not.toHaveProperty('reactions');
    });

    it(`keeps at most ${LIMITS.reactionsPerMessage} different emoji on a message`, async () => {
      const { message } = await append(draft());
      const emoji = Array.from({ length: LIMITS.reactionsPerMessage + 1 }, (_, i) =>
        String.fromCodePoint(0x1f600 + i),
      );
      for (const one of emoji.slice(0, -1)) await messages.react('general', message.id, add(alice, one));
      const full = await messages.find('general', message.id);
      expect(await messages.react('general', message.id, add(bob, emoji.at(-1)))).toEqual({
        outcome: 'full',
        message: full,
      });
      expect(await messages.find('general', message.id)).toEqual(full);
      // One more person on an emoji already there is no new emoji.
      expect(await messages.react('general', message.id, add(bob, emoji[0]))).toMatchObject({
        outcome: 'changed',
        message: { reactions: expect.arrayContaining([{ emoji: emoji[0], users: [alice, bob] }]) },
      });
    });

    it('finds nothing to react to: unknown, another channel, deleted, out of the history', async () => {
      const { message } = await append(draft());
      expect(await messages.react('general', 'm-unknown', add(bob))).toEqual({ outcome: 'gone' });
      expect(await messages.react('random', message.id, add(bob))).toEqual({ outcome: 'gone' });

      const { message: doomed } = await append(draft());
      await messages.replace('general', doomed, {
        ...doomed,
        text: '',
        deletedAt: '2026-02-01T00:00:00.000Z',
      });
      expect(await messages.react('general', doomed.id, add(bob))).toEqual({ outcome: 'gone' });

      await fill(LIMITS.historySize);
      expect(await messages.react('general', message.id, add(bob))).toEqual({ outcome: 'gone' });
      expect(await messages.append(draft({ clientId: message.clientId }))).toEqual(duplicateOf(message));
    });

    it('reacts to the message itself, not to a reply that quotes its id', async () => {
      const { message: original } = await append(draft());
      const replyTo = { id: original.id, seq: original.seq, author: alice, excerpt: original.text };
      const { message: reply } = await append(draft({ replyTo }));
      expect(reply.replyTo).toEqual(replyTo);
      await messages.react('general', original.id, add(bob));
      expect(await messages.find('general', reply.id)).toEqual(reply);
      expect((await messages.find('general', original.id))?.reactions).toEqual([
        { emoji: '👍', users: [bob] },
      ]);
    });

    it('keeps every one of 20 people reacting to one message at once', async () => {
      const { message } = await append(draft());
      const crowd = people(20);
      const results = await Promise.all(
        crowd.map((user) => messages.react('general', message.id, add(user))),
      );
      expect(results.every((result) => result.outcome === 'changed')).toBe(true);
      const stored = (await messages.find('general', message.id))!;
      expect(stored.revision).toBe(20);
      expect(new Set(stored.reactions![0]!.users.map((user) => user.id))).toEqual(
        new Set(crowd.map((user) => user.id)),
      );
      // Each answer is the message as that reaction left it: revisions 1 to 20, once each.
      expect(
        results.map((result) => (result as { message: Message }).message.revision).sort((a, b) => a! - b!),
      ).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('keeps every reaction when people add and take back different emoji at once', async () => {
      const { message } = await append(draft());
      const crowd = people(10);
      await Promise.all(crowd.map((user) => messages.react('general', message.id, add(user, '👀'))));
      await Promise.all(
        crowd.flatMap((user) => [
          messages.react('general', message.id, takeBack(user, '👀')),
          messages.react('general', message.id, add(user, '🎉')),
          messages.react('general', message.id, add(user, '✅')),
        ]),
      );
      const stored = (await messages.find('general', message.id))!;
      expect(stored.reactions?.map((reaction) => [reaction.emoji, reaction.users.length])).toEqual([
        ['🎉', 10],
        ['✅', 10],
      ]);
      expect(stored.revision).toBe(40);
    });

    it('leaves a message that an edit can still replace, whatever its text (escapes, slashes, DEL)', async () => {
      const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
      const text = `${ascii} https://x.example/a\\/b \\u007f "q" 👩‍💻 é\u2028`;
      const { message } = await append(draft({ text, author: slash }));
      await messages.react('general', message.id, add({ id: 'u-odd', name: 'x/y\u007f' }));
      const reacted = (await messages.find('general', message.id))!;
      expect(reacted.text).toBe(text);
      expect(reacted.reactions?.[0]?.users).toEqual([{ id: 'u-odd', name: 'x/y\u007f' }]);
      const edited = { ...reacted, text: 'fixed', editedAt: '2026-02-01T00:00:00.000Z' };
      expect(await messages.replace('general', reacted, edited)).toBe(true);
      expect(await messages.find('general', message.id)).toEqual(edited);
    });

    it('answers a late retry with the reacted version', async () => {
      const original = draft();
      const { message } = await append(original);
      const { message: reacted } = (await messages.react('general', message.id, add(bob))) as {
        message: Message;
      };
      expect(await messages.append(draft({ clientId: original.clientId }))).toEqual(
        duplicateOf(message, reacted),
      );
    });
  });
});
