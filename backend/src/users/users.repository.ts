import type { User } from '@flack/contract';

/** What the server keeps of a user. The session token itself is never stored, only its hash. */
export interface UserRecord extends User {
  /** Confusable skeleton of the name (see common/names.ts): what is held unique. */
  nameSkeleton: string;
  tokenHash: string;
  /**
   * When the name is released if nobody reconnects; null while at least one socket is connected.
   * Epoch milliseconds.
   */
  expiresAt: number | null;
}

/**
 * Users and their sessions. Async throughout so that a shared store (Redis) can stand in for the
 * in-memory one without changing a service.
 */
export abstract class UsersRepository {
  /** Inserts the user unless its name skeleton is held; returns false when it is. Atomic. */
  abstract insertIfNameFree(user: UserRecord): Promise<boolean>;
  abstract findById(id: string): Promise<UserRecord | undefined>;
  abstract findByTokenHash(tokenHash: string): Promise<UserRecord | undefined>;
  abstract findByNameSkeleton(nameSkeleton: string): Promise<UserRecord | undefined>;
  /** Counts a connected socket of the user and holds the name until the last one goes. */
  abstract socketConnected(id: string): Promise<void>;
  /** Counts a socket out; when none is left, the reservation runs until `expiresAt`. */
  abstract socketDisconnected(id: string, expiresAt: number): Promise<void>;
  abstract remove(id: string): Promise<void>;
  /** Users whose reservation ran out before `now`. */
  abstract findExpired(now: number): Promise<UserRecord[]>;
}
