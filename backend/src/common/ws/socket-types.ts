import type { ClientToServerEvents, ServerToClientEvents, User } from '@flack/contract';
import type { Server, Socket } from 'socket.io';

/** What the handshake attaches to a socket. */
export interface SocketData {
  user: User;
  /**
   * Channel ids the user had joined at handshake time; their rooms are joined on connection, and
   * it is gone from then on (SessionGateway.handleConnection).
   */
  joinedAtHandshake?: string[];
  /**
   * What a recovered connection missed while away, replayed once its rooms are joined; only for a
   * session the handshake found to be this user's (common/ws/recovery-gate.ts).
   */
  missed?: unknown[][];
}

export type FlackServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type FlackSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Every socket of a user is in this room, so "send to this user" reaches all their tabs. */
export const userRoom = (userId: string): string => `user:${userId}`;
/** Members of a channel, and only they, are in its room. */
export const channelRoom = (channelId: string): string => `channel:${channelId}`;
/**
 * Sockets that asked for the online list (`session:get`), and only they, hear `presence:changed`:
 * a change means nothing without the list it changes, and a socket that never asked (a bot, a
 * script, an app not yet synced) costs no presence traffic. The app asks on every connect.
 */
export const PRESENCE_WATCHERS = 'presence';
