import type { User } from '@flack/contract';

/** What the server keeps of a user. The session token itself is never stored, only its hash. */
export interface UserRecord extends User {
  /** Confusable skeleton of the name (see common/names.ts): what is held unique. */
  nameSkeleton: string;
  tokenHash: string;
  /**
   * When the name is released if nobody reconnects; null while a socket of the user is connected
   * to some instance. Epoch milliseconds.
   */
  expiresAt: number | null;
}

/**
 * Users and their sessions. Socket counting is not done here (ConnectionsService owns it): the
 * repository is told when a user's first socket on this instance connects and when the last one
 * goes, and on Redis it tracks which instances hold the user, so a user with tabs on two instances
 * keeps the name until both let go. Async throughout so that Redis can stand in for memory.
 */
export abstract class UsersRepository {
  /** Inserts the user unless its name skeleton is held; returns false when it is. Atomic. */
  abstract insertIfNameFree(user: UserRecord): Promise<boolean>;
  abstract findById(id: string): Promise<UserRecord | undefined>;
  /** Users by id, in the order asked; ids of users that do not exist are skipped. One step. */
  abstract findMany(ids: readonly string[]): Promise<UserRecord[]>;
  abstract findByTokenHash(tokenHash: string): Promise<UserRecord | undefined>;
  abstract findByNameSkeleton(nameSkeleton: string): Promise<UserRecord | undefined>;
  /**
   * The user has a socket on this instance: the name is held (expiresAt null) until released.
   * Unknown users are ignored. On a shared store it does not reject while the store is away: the
   * next heartbeat after it returns records what was missed.
   */
  abstract markConnected(id: string): Promise<void>;
  /**
   * This instance has no socket of the user any more; when no instance has one, the reservation
   * runs until `expiresAt`. Unknown users are ignored; like markConnected, it does not reject.
   */
  abstract markDisconnected(id: string, expiresAt: number): Promise<void>;
  /**
   * Called every HEARTBEAT_MS with the users that have sockets on this instance: states that the
   * instance is alive, repairs what an outage lost (the listed users are held; users this instance
   * held and no longer lists get their reservation until `expiresAt`), and starts the reservations
   * of users held only by instances that stopped beating. In memory there is one instance, so only
   * the first two apply.
   */
  abstract heartbeat(connectedIds: string[], expiresAt: number): Promise<void>;
  /** Forgets the user and everything keyed by them. */
  abstract remove(id: string): Promise<void>;
  /** Users whose reservation ran out at or before `now`, earliest first. */
  abstract findExpired(now: number): Promise<UserRecord[]>;
}
