import { Injectable } from '@nestjs/common';
import type { User } from '@flack/contract';
import {
  PresenceRepository,
  type PresenceBeat,
  type PresenceSnapshot,
  type PresenceUpdate,
} from './presence.repository.js';

/** Who is online in one process: the only instance, so nobody to take over or tell. */
@Injectable()
export class InMemoryPresenceRepository extends PresenceRepository {
  readonly shared = false;
  /** Online users by id, in the order they came online (as Redis lists them). */
  private readonly online = new Map<string, User>();
  private seq = 0;

  async claim({ id, name }: User): Promise<PresenceUpdate | null> {
    if (this.online.has(id)) return null;
    // Only the id and the name are kept, as on Redis.
    const user = { id, name };
    this.online.set(id, user);
    return { user, online: true, seq: ++this.seq };
  }

  async release(userId: string): Promise<PresenceUpdate | null> {
    const user = this.online.get(userId);
    if (!user) return null;
    this.online.delete(userId);
    return { user, online: false, seq: ++this.seq };
  }

  async restate(users: User[]): Promise<PresenceUpdate[]> {
    const listed = new Set(users.map((user) => user.id));
    const updates: PresenceUpdate[] = [];
    for (const id of [...this.online.keys()]) {
      const update = listed.has(id) ? null : await this.release(id);
      if (update) updates.push(update);
    }
    for (const user of users) {
      const update = await this.claim(user);
      if (update) updates.push(update);
    }
    return updates;
  }

  async beat(): Promise<PresenceBeat> {
    return { known: true, dead: [], seq: this.seq };
  }

  async reap(): Promise<PresenceUpdate[]> {
    return [];
  }

  async snapshot(): Promise<PresenceSnapshot> {
    return { users: [...this.online.values()], seq: this.seq };
  }

  remove(userId: string): Promise<PresenceUpdate | null> {
    return this.release(userId);
  }

  async leave(): Promise<void> {}
}
