import type { SessionSnapshot } from '@flack/contract';

/**
 * - `signed-out`: no name, no socket.
 * - `connecting`: signed in, first connection of this sign-in not ready yet.
 * - `online`: connected and the session snapshot applied.
 * - `reconnecting`: the connection dropped (or cannot be made); Socket.IO keeps trying.
 */
export type ConnectionState = 'signed-out' | 'connecting' | 'online' | 'reconnecting';

/** Emitted after every (re)connect, once the server said who we are and where we are. */
export interface SessionSync {
  snapshot: SessionSnapshot;
  /** False for the first connection after signing in (or opening the app), true afterwards. */
  reconnect: boolean;
  /**
   * The server had forgotten the session (it restarted) and the name was claimed again: this is a
   * new user with no channels, and message `seq`s started over.
   */
  restarted: boolean;
}
