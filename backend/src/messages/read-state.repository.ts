/**
 * Where each user has read up to in each channel (the newest `seq` read). Kept on the server so
 * every tab and device of a user agrees. Async so that Redis can stand in for memory.
 */
export abstract class ReadStateRepository {
  /** The user's read position per channel id; channels never read are absent. */
  abstract positionsOf(userId: string): Promise<Map<string, number>>;
  /** Moves the position forward to `seq` (never back); returns the position now recorded. Atomic. */
  abstract advance(userId: string, channel: string, seq: number): Promise<number>;
  /** Forgets everything about the user (the name was released). */
  abstract removeUser(userId: string): Promise<void>;
}
