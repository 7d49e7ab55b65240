import type { Channel, Message, User } from '@flack/contract';

/**
 * What one feature tells the others, in this process. A feature that keeps something per user,
 * channel or message handles the events that concern it in its own folder, so an effect that
 * crosses features is one `emit`, not a sequence of calls in a gateway.
 */
export interface AppEvents {
  /** The user's first socket on this instance connected. */
  'user.connected': { user: User };
  /** The user's last socket on this instance disconnected. */
  'user.disconnected': { user: User };
  /** Every HEARTBEAT_MS: the users with at least one socket on this instance. */
  'connections.heartbeat': { users: User[] };
  /** A name was claimed: a newcomer, with a session but no socket yet (default channels join them). */
  'user.claimed': { user: User };
  /** The name was released (its reservation ran out, or "Forget me"): forget everything kept for it. */
  'user.released': { userId: string };
  /** The user became a member of the channel (created it, joined it, or a direct conversation opened). */
  'channel.joined': { channel: Channel; user: User };
  /** The user left the channel. */
  'channel.left': { channelId: string; user: User };
  /** The channel was removed: its last member left, or their name was released. */
  'channel.removed': { channelId: string };
  /**
   * A new message was stored (not a retry of one already stored). `evictedFiles`: the message it
   * pushed out of the history (seq − LIMITS.historySize) carried files.
   */
  'message.stored': { message: Message; evictedFiles: boolean };
  /**
   * Its author deleted a stored message. `message` is the message as it was just before (its
   * `files` included); what is stored now is its tombstone.
   */
  'message.deleted': { message: Message };
  /**
   * The shared store lost its data (Redis restarted empty, FLUSHALL, a failover to an empty
   * replica): like a restart, every feature drops what this instance holds from before.
   */
  'store.reset': Record<string, never>;
}

export type AppEventName = keyof AppEvents;
export type AppEventHandler<E extends AppEventName> = (payload: AppEvents[E]) => void | Promise<void>;
