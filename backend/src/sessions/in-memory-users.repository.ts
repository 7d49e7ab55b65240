import { Injectable } from '@nestjs/common';
import { UsersRepository, type UserRecord } from './users.repository.js';

@Injectable()
export class InMemoryUsersRepository extends UsersRepository {
  private readonly byId = new Map<string, UserRecord>();
  private readonly idByTokenHash = new Map<string, string>();
  private readonly idByNameSkeleton = new Map<string, string>();
  private readonly socketCounts = new Map<string, number>();

  async insertIfNameFree(user: UserRecord): Promise<boolean> {
    if (this.idByNameSkeleton.has(user.nameSkeleton)) return false;
    this.byId.set(user.id, user);
    this.idByTokenHash.set(user.tokenHash, user.id);
    this.idByNameSkeleton.set(user.nameSkeleton, user.id);
    return true;
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.byId.get(id);
  }

  async findByTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
    const id = this.idByTokenHash.get(tokenHash);
    return id === undefined ? undefined : this.byId.get(id);
  }

  async findByNameSkeleton(nameSkeleton: string): Promise<UserRecord | undefined> {
    const id = this.idByNameSkeleton.get(nameSkeleton);
    return id === undefined ? undefined : this.byId.get(id);
  }

  async socketConnected(id: string): Promise<void> {
    const user = this.byId.get(id);
    if (!user) return;
    this.socketCounts.set(id, (this.socketCounts.get(id) ?? 0) + 1);
    user.expiresAt = null;
  }

  async socketDisconnected(id: string, expiresAt: number): Promise<void> {
    const user = this.byId.get(id);
    const count = (this.socketCounts.get(id) ?? 0) - 1;
    if (count > 0) {
      this.socketCounts.set(id, count);
      return;
    }
    this.socketCounts.delete(id);
    if (user) user.expiresAt = expiresAt;
  }

  async remove(id: string): Promise<void> {
    const user = this.byId.get(id);
    if (!user) return;
    this.byId.delete(id);
    this.idByTokenHash.delete(user.tokenHash);
    this.idByNameSkeleton.delete(user.nameSkeleton);
    this.socketCounts.delete(id);
  }

  async findExpired(now: number): Promise<UserRecord[]> {
    return [...this.byId.values()].filter((user) => user.expiresAt !== null && user.expiresAt <= now);
  }
}
