import type { User } from '@flack/contract';

/**
 * Who is typing in which channel until when, shared by every instance so a channel's list is the
 * same whichever instance its members are on.
 */
export abstract class TypingRepository {
  /**
   * Records the user as typing in the channel until `until`. Resolves true when this is a change
   * (they were not typing there at `now`), false when it only extends their time.
   */
  abstract start(channel: string, user: User, until: number, now: number): Promise<boolean>;
  /**
   * Removes the typist. With `onlyIfExpired`, only when their time ran out at `now` (a timer set
   * before a later `start` must not cut the new time short). Resolves the channel's typists after
   * the change, or null when nothing changed.
   */
  abstract stop(
    channel: string,
    userId: string,
    now: number,
    onlyIfExpired?: boolean,
  ): Promise<User[] | null>;
  /** Who is typing in the channel at `now`. */
  abstract typists(channel: string, now: number): Promise<User[]>;
}
