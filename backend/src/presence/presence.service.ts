import type { PresenceChange, User } from '@flack/contract';
import type { Observable } from 'rxjs';

/**
 * Who is online. A user with several tabs (on any instance) counts once, and goes offline only
 * when the last tab has been closed for `PRESENCE_GRACE_MS`, so a page reload does not flicker.
 * In memory for one process; in Redis when several instances share one (see RedisPresenceService).
 */
export abstract class PresenceService {
  /**
   * Changes this instance should tell its own clients about. Every instance sees every change
   * (there is one instance in memory; on Redis each one watches the shared list), so the gateway
   * emits them to local sockets only and nobody hears a change twice.
   */
  abstract readonly changed: Observable<PresenceChange>;
  /** A socket of the user connected to this instance. */
  abstract connected(user: User): void;
  /** A socket of the user on this instance disconnected. */
  abstract disconnected(user: User): void;
  /** Everyone online (or within their grace period), by name. */
  abstract online(): Promise<User[]>;
}
