import { Injectable } from '@nestjs/common';
import {
  ChannelsRepository,
  type ChannelCaps,
  type ChannelListing,
  type ChannelRecord,
  type CreateOutcome,
  type ListedChannel,
  type Membership,
  sameActivity,
  withActivity,
} from './channels.repository.js';

/** Answers are copies, so a caller that changes one cannot change what is stored. */
function copyOf(channel: ChannelRecord): ChannelRecord {
  return channel.dm ? { ...channel, dm: channel.dm.map((user) => ({ ...user })) } : { ...channel };
}

@Injectable()
export class InMemoryChannelsRepository extends ChannelsRepository {
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly idBySkeleton = new Map<string, string>();
  private readonly membersByChannel = new Map<string, Set<string>>();
  /** Sets keep insertion order, which is the join order the client shows. */
  private readonly channelsByUser = new Map<string, Set<string>>();
  private readonly lastOpenedByUser = new Map<string, string>();
  /** A count per creator rather than a scan of every channel; forgotten with the user, as on Redis. */
  private readonly createdCountByUser = new Map<string, number>();
  /** Channels that are not direct conversations: what MAX_CHANNELS counts. */
  private listedCount = 0;
  /** ChannelListing.version; bumped by `listingChanged` (see there). */
  private listingVersion = 0;

  async insertUnlessTaken(channel: ChannelRecord): Promise<ChannelRecord | undefined> {
    const existing = this.holderOf(channel);
    if (existing) return copyOf(existing);
    this.insert(channel);
    return undefined;
  }

  async create(channel: ChannelRecord, caps: ChannelCaps): Promise<CreateOutcome> {
    if (this.listedCount >= caps.channels) return { outcome: 'cap-reached', cap: 'channels' };
    if ((this.createdCountByUser.get(channel.createdBy) ?? 0) >= caps.perUser) {
      return { outcome: 'cap-reached', cap: 'perUser' };
    }
    const existing = this.holderOf(channel);
    if (existing) return { outcome: 'taken', channel: copyOf(existing) };
    this.insert(channel);
    this.join(channel.id, channel.createdBy);
    return { outcome: 'created' };
  }

  async listing(known: ChannelListing | null): Promise<ChannelListing> {
    const version = String(this.listingVersion);
    if (known?.version !== version) {
      const channels: ListedChannel[] = [];
      for (const record of this.channels.values()) {
        if (!record.dm) channels.push({ record: copyOf(record), members: this.membersOf(record.id) });
      }
      return { version, channels };
    }
    // Messages change nothing else, so only their counts are compared, as on Redis.
    const now = known.channels.map((listed) => this.channels.get(listed.record.id));
    if (now.every((record, i) => !record || sameActivity(record, known.channels[i]!.record))) return known;
    return {
      version,
      channels: known.channels.map((listed, i) => withActivity(listed, now[i])),
    };
  }

  async findById(id: string): Promise<ChannelRecord | undefined> {
    const channel = this.channels.get(id);
    return channel && copyOf(channel);
  }

  async findAll(): Promise<ChannelRecord[]> {
    return [...this.channels.values()].map(copyOf);
  }

  async countCreatedBy(userId: string): Promise<number> {
    return this.createdCountByUser.get(userId) ?? 0;
  }

  async setTopic(id: string, topic: string | null): Promise<ChannelRecord | undefined> {
    const channel = this.channels.get(id);
    if (!channel) return undefined;
    if (topic === null) delete channel.topic;
    else channel.topic = topic;
    this.listingChanged(channel);
    return copyOf(channel);
  }

  async recordMessage(id: string, createdAt: string): Promise<void> {
    this.countMessage(id, createdAt);
  }

  /**
   * For the message store of this process (InMemoryMessagesRepository.append), which checks and
   * counts in the same synchronous step as it stores: the channel an author may write in, or why
   * not, read without the copy `findById` makes (nothing of it is handed out).
   */
  authorCheck(id: string, userId: string): 'member' | 'no-channel' | { name: string; dm: boolean } {
    const channel = this.channels.get(id);
    if (!channel) return 'no-channel';
    if (this.membersByChannel.get(id)?.has(userId)) return 'member';
    return { name: channel.name, dm: channel.dm !== undefined };
  }

  /** See `recordMessage`; synchronous, for the message store of this process. */
  countMessage(id: string, createdAt: string): void {
    const channel = this.channels.get(id);
    if (!channel) return;
    channel.messageCount++;
    // ISO 8601 UTC times order as strings.
    if (channel.lastMessageAt === null || channel.lastMessageAt < createdAt)
      channel.lastMessageAt = createdAt;
  }

  async addMember(id: string, userId: string): Promise<boolean> {
    return this.join(id, userId);
  }

  async removeMember(id: string, userId: string): Promise<boolean> {
    const removed = this.membersByChannel.get(id)?.delete(userId) ?? false;
    if (removed) this.listingChanged(this.channels.get(id));
    const joined = this.channelsByUser.get(userId);
    joined?.delete(id);
    if (joined?.size === 0) this.channelsByUser.delete(userId);
    if (this.lastOpenedByUser.get(userId) === id) this.lastOpenedByUser.delete(userId);
    return removed;
  }

  async isMember(id: string, userId: string): Promise<boolean> {
    return this.membersByChannel.get(id)?.has(userId) ?? false;
  }

  async memberCount(id: string): Promise<number> {
    return this.membersByChannel.get(id)?.size ?? 0;
  }

  async memberIds(id: string): Promise<string[]> {
    return [...(this.membersByChannel.get(id) ?? [])];
  }

  async channelsOf(userId: string): Promise<string[]> {
    return [...(this.channelsByUser.get(userId) ?? [])];
  }

  async membershipOf(userId: string, withDms = false): Promise<Membership> {
    const joined = [...(this.channelsByUser.get(userId) ?? [])];
    const dms: ListedChannel[] = [];
    for (const id of withDms ? joined : []) {
      const record = this.channels.get(id);
      if (record?.dm) dms.push({ record: copyOf(record), members: this.membersOf(id) });
    }
    return { joined, lastOpened: this.lastOpenedByUser.get(userId) ?? null, dms };
  }

  async removeIfEmpty(id: string): Promise<boolean> {
    const channel = this.channels.get(id);
    if (!channel || (this.membersByChannel.get(id)?.size ?? 0) > 0) return false;
    this.channels.delete(id);
    this.membersByChannel.delete(id);
    if (!channel.dm) this.listedCount--;
    this.listingChanged(channel);
    if (this.idBySkeleton.get(channel.skeleton) === id) this.idBySkeleton.delete(channel.skeleton);
    const created = this.createdCountByUser.get(channel.createdBy);
    if (created !== undefined) {
      if (created > 1) this.createdCountByUser.set(channel.createdBy, created - 1);
      else this.createdCountByUser.delete(channel.createdBy);
    }
    return true;
  }

  async removeUser(userId: string): Promise<void> {
    for (const id of this.channelsByUser.get(userId) ?? []) {
      this.membersByChannel.get(id)?.delete(userId);
      this.listingChanged(this.channels.get(id));
    }
    this.channelsByUser.delete(userId);
    this.lastOpenedByUser.delete(userId);
    this.createdCountByUser.delete(userId);
  }

  async setLastOpened(userId: string, id: string | null): Promise<void> {
    if (id === null) this.lastOpenedByUser.delete(userId);
    else this.lastOpenedByUser.set(userId, id);
  }

  async lastOpened(userId: string): Promise<string | null> {
    return this.lastOpenedByUser.get(userId) ?? null;
  }

  private holderOf(channel: ChannelRecord): ChannelRecord | undefined {
    return this.channels.get(channel.id) ?? this.channels.get(this.idBySkeleton.get(channel.skeleton) ?? '');
  }

  private insert(channel: ChannelRecord): void {
    this.channels.set(channel.id, copyOf(channel));
    this.idBySkeleton.set(channel.skeleton, channel.id);
    this.membersByChannel.set(channel.id, new Set());
    if (channel.createdBy !== '') {
      this.createdCountByUser.set(
        channel.createdBy,
        (this.createdCountByUser.get(channel.createdBy) ?? 0) + 1,
      );
    }
    if (!channel.dm) this.listedCount++;
    this.listingChanged(channel);
  }

  private join(id: string, userId: string): boolean {
    const members = this.membersByChannel.get(id);
    if (!members || members.has(userId)) return false;
    members.add(userId);
    let joined = this.channelsByUser.get(userId);
    if (!joined) this.channelsByUser.set(userId, (joined = new Set()));
    joined.add(id);
    this.listingChanged(this.channels.get(id));
    return true;
  }

  private membersOf(id: string): number {
    return this.membersByChannel.get(id)?.size ?? 0;
  }

  /** A change to what the listing shows of a channel; direct conversations are not listed. */
  private listingChanged(channel: ChannelRecord | undefined): void {
    if (channel && !channel.dm) this.listingVersion++;
  }
}
