import { Injectable } from '@nestjs/common';
import type { User } from '@flack/contract';
import { PresenceRepository } from './presence.repository.js';

interface Entry {
  user: User;
  until: number;
}

/** Who is online in one process. Answers in the order Redis does: soonest to run out first. */
@Injectable()
export class InMemoryPresenceRepository extends PresenceRepository {
  private readonly entries = new Map<string, Entry>();

  async renew(users: User[], until: number): Promise<void> {
    for (const user of users) {
      const known = this.entries.get(user.id);
      if (known && known.user.name === user.name) known.until = Math.max(known.until, until);
      // Only the id and the name are kept, as on Redis; the session's own object already is just that.
      else
        this.entries.set(user.id, {
          user: { id: user.id, name: user.name },
          until: Math.max(known?.until ?? until, until),
        });
    }
  }

  async expire(userId: string, at: number): Promise<void> {
    const known = this.entries.get(userId);
    if (known) known.until = at;
  }

  async online(now: number): Promise<User[]> {
    for (const [id, entry] of this.entries) if (entry.until <= now) this.entries.delete(id);
    return (
      [...this.entries.values()]
        .sort((a, b) => a.until - b.until || (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0))
        // Shared, not copied: every online user is held once however often the list is read.
        .map(({ user }) => user)
    );
  }

  async remove(userId: string): Promise<void> {
    this.entries.delete(userId);
  }
}
