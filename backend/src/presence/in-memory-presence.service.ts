import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { PresenceChange, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { PresenceService } from './presence.service.js';

interface Presence {
  user: User;
  /** Connected sockets (tabs) of the user. */
  sockets: number;
  /** Running while the last socket is gone but the grace period is not over. */
  offlineTimer?: NodeJS.Timeout;
}

/** Presence of one process: socket counts and grace timers in memory. */
@Injectable()
export class InMemoryPresenceService extends PresenceService implements OnModuleDestroy {
  private readonly presences = new Map<string, Presence>();
  private readonly graceMs: number;
  private readonly changes = new Subject<PresenceChange>();

  /** Each time someone comes online or goes offline. */
  readonly changed = this.changes.asObservable();

  constructor(config: ConfigService<Env, true>) {
    super();
    this.graceMs = config.get('PRESENCE_GRACE_MS', { infer: true });
  }

  connected(user: User): void {
    const presence = this.presences.get(user.id);
    if (!presence) {
      this.presences.set(user.id, { user, sockets: 1 });
      this.changes.next({ user, online: true });
      return;
    }
    presence.sockets++;
    clearTimeout(presence.offlineTimer);
    presence.offlineTimer = undefined;
  }

  disconnected(user: User): void {
    const presence = this.presences.get(user.id);
    if (!presence || --presence.sockets > 0) return;
    presence.offlineTimer = setTimeout(() => {
      this.presences.delete(user.id);
      this.changes.next({ user, online: false });
    }, this.graceMs);
  }

  async online(): Promise<User[]> {
    return [...this.presences.values()]
      .map((presence) => presence.user)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  onModuleDestroy(): void {
    for (const presence of this.presences.values()) clearTimeout(presence.offlineTimer);
    this.changes.complete();
  }
}
