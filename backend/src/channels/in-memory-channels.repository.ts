import { Injectable } from '@nestjs/common';
import { ChannelsRepository, type ChannelRecord } from './channels.repository.js';

@Injectable()
export class InMemoryChannelsRepository extends ChannelsRepository {
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly idBySkeleton = new Map<string, string>();
  private readonly membersByChannel = new Map<string, Set<string>>();
  /** Sets keep insertion order, which is the join order the client shows. */
  private readonly channelsByUser = new Map<string, Set<string>>();
  private readonly lastOpenedByUser = new Map<string, string>();

  async insertUnlessTaken(channel: ChannelRecord): Promise<ChannelRecord | undefined> {
    const existing =
      this.channels.get(channel.id) ?? this.channels.get(this.idBySkeleton.get(channel.skeleton) ?? '');
    if (existing) return { ...existing };
    this.channels.set(channel.id, { ...channel });
    this.idBySkeleton.set(channel.skeleton, channel.id);
    this.membersByChannel.set(channel.id, new Set());
    return undefined;
  }

  async findById(id: string): Promise<ChannelRecord | undefined> {
    const channel = this.channels.get(id);
    return channel && { ...channel };
  }

  async findAll(): Promise<ChannelRecord[]> {
    return [...this.channels.values()].map((channel) => ({ ...channel }));
  }

  async count(): Promise<number> {
    return this.channels.size;
  }

  async countCreatedBy(userId: string): Promise<number> {
    let count = 0;
    for (const channel of this.channels.values()) if (channel.createdBy === userId) count++;
    return count;
  }

  async recordMessage(id: string, createdAt: string): Promise<void> {
    const channel = this.channels.get(id);
    if (!channel) return;
    channel.messageCount++;
    channel.lastMessageAt = createdAt;
  }

  async addMember(id: string, userId: string): Promise<boolean> {
    const members = this.membersByChannel.get(id);
    if (!members || members.has(userId)) return false;
    members.add(userId);
    let joined = this.channelsByUser.get(userId);
    if (!joined) this.channelsByUser.set(userId, (joined = new Set()));
    joined.add(id);
    return true;
  }

  async removeMember(id: string, userId: string): Promise<boolean> {
    const removed = this.membersByChannel.get(id)?.delete(userId) ?? false;
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

  async removeUser(userId: string): Promise<void> {
    for (const id of this.channelsByUser.get(userId) ?? []) {
      this.membersByChannel.get(id)?.delete(userId);
    }
    this.channelsByUser.delete(userId);
    this.lastOpenedByUser.delete(userId);
  }

  async setLastOpened(userId: string, id: string | null): Promise<void> {
    if (id === null) this.lastOpenedByUser.delete(userId);
    else this.lastOpenedByUser.set(userId, id);
  }

  async lastOpened(userId: string): Promise<string | null> {
    return this.lastOpenedByUser.get(userId) ?? null;
  }
}
