import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { User } from '@flack/contract';
import { EventBus } from '../events/event-bus.js';

/**
 * How often this instance re-states who is connected to it. On Redis: the instance is alive (for
 * names and for presence, whose beat costs the same whatever the number of people) and the others
 * look for the dead.
 */
export const HEARTBEAT_MS = 2000;

/**
 * The one owner of connections on this instance: counts each user's sockets, and tells the other
 * features through events — `user.connected` on a user's first socket here, `user.disconnected` on
 * the last, and `connections.heartbeat` every HEARTBEAT_MS with everyone connected here (which on
 * Redis keeps this instance's users' names held, restates them when Redis may disagree, and lets
 * the others notice if it dies).
 */
@Injectable()
export class ConnectionsService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(ConnectionsService.name);
  private readonly local = new Map<string, { user: User; sockets: number }>();
  private heartbeat?: NodeJS.Timeout;
  private beating = false;

  constructor(private readonly events: EventBus) {}

  onModuleInit(): void {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
  }

  /** Users with at least one socket on this instance. */
  users(): User[] {
    return [...this.local.values()].map(({ user }) => user);
  }

  async connected(user: User): Promise<void> {
    const entry = this.local.get(user.id);
    if (entry) {
      entry.sockets++;
      return;
    }
    this.local.set(user.id, { user, sockets: 1 });
    await this.tell('user.connected', user);
  }

  async disconnected(user: User): Promise<void> {
    const entry = this.local.get(user.id);
    if (!entry || --entry.sockets > 0) return;
    this.local.delete(user.id);
    await this.tell('user.disconnected', user);
  }

  /** Runs the heartbeat now (also on a timer); a beat still running is not doubled up by a slow store. */
  async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.events.emitToAll('connections.heartbeat', { users: this.users() });
    } catch (error) {
      this.log.debug(`heartbeat failed, trying again in ${HEARTBEAT_MS} ms: ${String(error)}`);
    } finally {
      this.beating = false;
    }
  }

  /**
   * A socket is connected whatever the store says: a feature that could not record the change
   * (Redis away) is put right by the next heartbeat after it returns.
   */
  private async tell(event: 'user.connected' | 'user.disconnected', user: User): Promise<void> {
    try {
      await this.events.emitToAll(event, { user });
    } catch (error) {
      this.log.debug(`${event} deferred to the next heartbeat: ${String(error)}`);
    }
  }
}
