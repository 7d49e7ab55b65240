import { Injectable } from '@nestjs/common';
import { UsersRepository, type UserRecord } from './users.repository.js';

/** The store hands out copies, as Redis does, so a caller that edits a record changes nothing here. */
const copy = (user: UserRecord): UserRecord => ({ ...user });

@Injectable()
export class InMemoryUsersRepository extends UsersRepository {
  private readonly byId = new Map<string, UserRecord>();
  private readonly idByTokenHash = new Map<string, string>();
  private readonly idByNameSkeleton = new Map<string, string>();
  /**
   * Users this instance holds connected: the counterpart of an instance's user set on Redis, so a
   * heartbeat that no longer lists one starts their reservation on both backends alike.
   */
  private readonly held = new Set<string>();

  async insertIfNameFree(user: UserRecord): Promise<boolean> {
    if (this.idByNameSkeleton.has(user.nameSkeleton)) return false;
    this.byId.set(user.id, copy(user));
    this.idByTokenHash.set(user.tokenHash, user.id);
    this.idByNameSkeleton.set(user.nameSkeleton, user.id);
    return true;
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.copyOf(id);
  }

  async findMany(ids: readonly string[]): Promise<UserRecord[]> {
    return ids.map((id) => this.copyOf(id)).filter((user) => user !== undefined);
  }

  async findByTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
    return this.copyOf(this.idByTokenHash.get(tokenHash));
  }

  async findByNameSkeleton(nameSkeleton: string): Promise<UserRecord | undefined> {
    return this.copyOf(this.idByNameSkeleton.get(nameSkeleton));
  }

  async markConnected(id: string): Promise<void> {
    this.connect(id);
  }

  async markDisconnected(id: string, expiresAt: number): Promise<void> {
    this.disconnect(id, expiresAt);
  }

  async heartbeat(connectedIds: string[], expiresAt: number): Promise<void> {
    const listed = new Set(connectedIds);
    for (const id of [...this.held]) if (!listed.has(id)) this.disconnect(id, expiresAt);
    for (const id of listed) this.connect(id);
  }

  async remove(id: string): Promise<void> {
    const user = this.byId.get(id);
    if (!user) return;
    this.byId.delete(id);
    this.idByTokenHash.delete(user.tokenHash);
    this.idByNameSkeleton.delete(user.nameSkeleton);
    this.held.delete(id);
  }

  /** Earliest first, ties by id: the order of the sorted set on Redis. */
  async findExpired(now: number): Promise<UserRecord[]> {
    return [...this.byId.values()]
      .filter(
        (user): user is UserRecord & { expiresAt: number } =>
          user.expiresAt !== null && user.expiresAt <= now,
      )
      .sort((a, b) => a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  }

  private copyOf(id: string | undefined): UserRecord | undefined {
    const user = id === undefined ? undefined : this.byId.get(id);
    return user && copy(user);
  }

  private connect(id: string): void {
    const user = this.byId.get(id);
    if (!user) return;
    this.held.add(id);
    user.expiresAt = null;
  }

  private disconnect(id: string, expiresAt: number): void {
    this.held.delete(id);
    const user = this.byId.get(id);
    if (user) user.expiresAt = expiresAt;
  }
}
