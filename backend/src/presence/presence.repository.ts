import type { User } from '@flack/contract';

/**
 * Who is online until when, shared by every instance. Each instance vouches for the users it has
 * sockets of, renewing its claim every heartbeat; a user is online while any instance's claim
 * runs. When a user's last tab on an instance closes, that instance's claim runs out after the
 * grace period (another instance's claim keeps them online), and an instance that dies stops
 * renewing, so its claims run out too.
 */
export abstract class PresenceRepository {
  /** This instance vouches for the users until at least `until` (a later time it set is kept). */
  abstract renew(users: User[], until: number): Promise<void>;
  /**
   * This instance's claim on the user runs out at `at` unless renewed meanwhile (their last tab
   * here closed): exactly then, even if its last renewal said later, so a grace period shorter
   * than a renewal holds. Other instances' claims are untouched; someone this instance does not
   * vouch for is not brought back.
   */
  abstract expire(userId: string, at: number): Promise<void>;
  /** Everyone whose time has not run out at `now`; those whose time ran out are dropped. */
  abstract online(now: number): Promise<User[]>;
  /** The user is gone at once, every instance's claim with them (the name was released). */
  abstract remove(userId: string): Promise<void>;
}
