import type { User } from '@flack/contract';

/**
 * Someone came online (their first tab anywhere) or went offline (their last tab anywhere closed,
 * or their instance died). `seq` numbers every update in the store, so that news arriving late
 * from another instance never undoes a newer one.
 */
export interface PresenceUpdate {
  user: User;
  online: boolean;
  seq: number;
}

/** Who is online, and the number of the latest update it includes. */
export interface PresenceSnapshot {
  users: User[];
  seq: number;
}

export interface PresenceBeat {
  known: boolean;
  dead: string[];
  seq: number;
}

/**
 * Who is online, shared by every instance. Each instance claims the users it has a tab of; a user
 * is online while any instance claims them. Only changes are written, and only the step that makes
 * one (a first claim, a last release) answers it, numbered: the caller tells the others. An
 * instance says it is alive every heartbeat; one that stops is taken over by whichever instance
 * finds it first, and its claims go with it.
 */
export abstract class PresenceRepository {
  /** Whether other instances share this store (and must be told of the updates it answers). */
  abstract readonly shared: boolean;
  /** This instance has a tab of the user. Answers the update when that made them online. */
  abstract claim(user: User): Promise<PresenceUpdate | null>;
  /** This instance no longer has a tab of the user. Answers the update when nobody claims them now. */
  abstract release(userId: string): Promise<PresenceUpdate | null>;
  /**
   * Makes the store agree that this instance claims exactly `users` (at start-up, after an outage
   * or a reset, or when it was taken for dead), and that it is alive until `aliveUntil`.
   */
  abstract restate(users: User[], aliveUntil: number): Promise<PresenceUpdate[]>;
  /**
   * This instance is alive until `aliveUntil`. Answers whether the store still knew it (false: it
   * forgot, or took it for dead: restate), the instances whose time ran out by `now`, and the seq
   * of the latest update (an instance that has not heard of every update up to it missed one).
   */
  abstract beat(now: number, aliveUntil: number): Promise<PresenceBeat>;
  /**
   * Takes over an instance whose time ran out by `now`, once whoever asks first: its claims go.
   * Answers the updates (nothing if another instance took it over, or it came back).
   */
  abstract reap(instanceId: string, now: number): Promise<PresenceUpdate[]>;
  /** Everyone online (a full read: at start-up, after an outage or a reset only). */
  abstract snapshot(): Promise<PresenceSnapshot>;
  /** The user is gone at once, every instance's claim with them (the name was released). */
  abstract remove(userId: string): Promise<PresenceUpdate | null>;
  /** Graceful shutdown: this instance counts as dead at once, so another takes it over. */
  abstract leave(): Promise<void>;
}
