import type { User } from '@flack/contract';

/** What the server keeps of a channel besides its messages. */
export interface ChannelRecord {
  /** Comparison key of the name; also the public id. */
  id: string;
  name: string;
  /** Confusable skeleton of the name: what is held unique. */
  skeleton: string;
  createdAt: string;
  /** The creator's user id; '' for a direct conversation. */
  createdBy: string;
  /** Messages ever sent; the newest `LIMITS.historySize` of them are kept. */
  messageCount: number;
  lastMessageAt: string | null;
  /** A direct conversation's two people (sorted by id); absent for a channel. */
  dm?: User[];
  /** What the channel is about; absent when none (never ''). */
  topic?: string;
}

/** A channel as the listing shows it: its record and how many members it has. */
export interface ListedChannel {
  record: ChannelRecord;
  members: number;
}

/**
 * Every channel that is not a direct conversation, as of one `version` of the store. Answers are
 * shared, never changed: a new listing is a new object.
 */
export interface ChannelListing {
  /** Changes whenever what the listing shows changes, on whichever instance that happens. */
  readonly version: string;
  readonly channels: readonly ListedChannel[];
}

/** The caps a channel that someone creates is held to. */
export interface ChannelCaps {
  /** Channels (direct conversations not counted) that may exist at most. */
  channels: number;
  /** Existing channels one creator may have created at most. */
  perUser: number;
}

/** What `create` did. */
export type CreateOutcome =
  | { outcome: 'created' }
  | { outcome: 'cap-reached'; cap: keyof ChannelCaps }
  | { outcome: 'taken'; channel: ChannelRecord };

/** A user's channels: join order, the last one open, and (when asked) their direct conversations. */
export interface Membership {
  /** Ids of the user's channels (direct conversations included), in the order they were joined. */
  joined: string[];
  /** The channel they had open last, as stored (it may be one they left since). */
  lastOpened: string | null;
  /** Their direct conversations, with member counts; empty unless asked for. */
  dms: ListedChannel[];
}

/**
 * Channels, who is in them, and which one each user had open last. Async throughout so that a shared
 * store (Redis) can stand in for the in-memory one.
 */
export abstract class ChannelsRepository {
  /**
   * Inserts the channel unless a channel with its id or skeleton exists. Atomic. Returns the
   * channel that is in the way, or undefined when inserted. For the server's channels and direct
   * conversations; a channel someone creates goes through `create`.
   */
  abstract insertUnlessTaken(channel: ChannelRecord): Promise<ChannelRecord | undefined>;
  /**
   * A channel someone creates, in one atomic step whatever the number of channels: refused when
   * `caps.channels` channels exist (direct conversations do not count), then when its creator has
   * `caps.perUser`, then when its id or skeleton is taken (answering the channel in the way);
   * otherwise inserted with its creator as its first member.
   */
  abstract create(channel: ChannelRecord, caps: ChannelCaps): Promise<CreateOutcome>;
  abstract findById(id: string): Promise<ChannelRecord | undefined>;
  /** Every channel, direct conversations included: reads them all, so not for a request's path. */
  abstract findAll(): Promise<ChannelRecord[]>;
  /**
   * The listing as it is now, in one step whatever the number of channels. Given the listing
   * answered last (`known`), the answer is `known` itself while nothing listed changed, and shares
   * its `channels` while nothing shown changed. Reads only what changed where it can: on Redis, the
   * counts (members, messages, last message time) alone while no listed channel was created,
   * removed or given a topic, and nothing but two versions while nothing changed.
   */
  abstract listing(known: ChannelListing | null): Promise<ChannelListing>;
  /** How many existing channels this user created. */
  abstract countCreatedBy(userId: string): Promise<number>;
  /**
   * Sets the topic, or removes it when `topic` is null; one write, so the last of two racing changes
   * wins whole. Answers the changed channel, or undefined when there is no such channel.
   */
  abstract setTopic(id: string, topic: string | null): Promise<ChannelRecord | undefined>;
  /** Counts a stored message and keeps the latest `createdAt` (messages may be recorded out of order). */
  abstract recordMessage(id: string, createdAt: string): Promise<void>;
  /** Returns false when the user already was a member (or there is no such channel). */
  abstract addMember(id: string, userId: string): Promise<boolean>;
  /** Returns false when the user was not a member. Forgets it as their last channel. */
  abstract removeMember(id: string, userId: string): Promise<boolean>;
  abstract isMember(id: string, userId: string): Promise<boolean>;
  abstract memberCount(id: string): Promise<number>;
  /** Ids of the channel's members, in no particular order. */
  abstract memberIds(id: string): Promise<string[]>;
  /** Ids of the user's channels, in the order they were joined. */
  abstract channelsOf(userId: string): Promise<string[]>;
  /** The user's channels and last channel, and with `withDms` their direct conversations, in one step. */
  abstract membershipOf(userId: string, withDms?: boolean): Promise<Membership>;
  /**
   * Removes the channel if nobody is a member: its record, its name (free again) and its place in
   * its creator's count. Atomic against a join: resolves false, and removes nothing, when someone
   * is a member (or there is no such channel).
   */
  abstract removeIfEmpty(id: string): Promise<boolean>;
  /** Takes the user out of every channel and forgets everything kept per user. */
  abstract removeUser(userId: string): Promise<void>;
  abstract setLastOpened(userId: string, id: string | null): Promise<void>;
  abstract lastOpened(userId: string): Promise<string | null>;
}

/** What changes with every message: a channel's message count and the time of its last one. */
export type ChannelActivity = Pick<ChannelRecord, 'messageCount' | 'lastMessageAt'>;

export function sameActivity(a: ChannelActivity, b: ChannelActivity): boolean {
  return a.messageCount === b.messageCount && a.lastMessageAt === b.lastMessageAt;
}

/** `listed` with the message count and time of `now`: itself when there is no `now` or they are the same. */
export function withActivity(listed: ListedChannel, now: ChannelActivity | undefined): ListedChannel {
  if (!now || sameActivity(now, listed.record)) return listed;
  const { messageCount, lastMessageAt } = now;
  return { ...listed, record: { ...listed.record, messageCount, lastMessageAt } };
}
