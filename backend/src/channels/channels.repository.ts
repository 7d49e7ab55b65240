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

/**
 * Channels, who is in them, and which one each user had open last. Async throughout so that a shared
 * store (Redis) can stand in for the in-memory one.
 */
export abstract class ChannelsRepository {
  /**
   * True when every change to the channels goes through this process, so that something built
   * from them (the public listing) stays true until this process changes them. False on a shared
   * store, which other instances change.
   */
  abstract readonly seesEveryChange: boolean;
  /**
   * Inserts the channel unless a channel with its id or skeleton exists. Atomic. Returns the
   * channel that is in the way, or undefined when inserted.
   */
  abstract insertUnlessTaken(channel: ChannelRecord): Promise<ChannelRecord | undefined>;
  abstract findById(id: string): Promise<ChannelRecord | undefined>;
  abstract findAll(): Promise<ChannelRecord[]>;
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
