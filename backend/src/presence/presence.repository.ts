import type { User } from '@flack/contract';

/**
 * Who is online until when, shared by every instance. Each instance renews the users it has
 * sockets of every heartbeat; a user whose last tab closed runs out after the grace period unless
 * some instance renews them, and an instance that dies stops renewing, so its users run out too.
 */
export abstract class PresenceRepository {
  /** The users are online until at least `until` (a later time already recorded is kept). */
  abstract renew(users: User[], until: number): Promise<void>;
  /**
   * The user runs out at `at` unless renewed meanwhile (their last tab on this instance closed):
   * exactly then, even if a renewal said later, so a grace period shorter than a renewal holds; an
   * instance that still has a tab of the user renews them within a heartbeat. Someone not online
   * is not brought back.
   */
  abstract expire(userId: string, at: number): Promise<void>;
  /** Everyone whose time has not run out at `now`; those whose time ran out are dropped. */
  abstract online(now: number): Promise<User[]>;
  /** The user is gone at once (the name was released). */
  abstract remove(userId: string): Promise<void>;
}
