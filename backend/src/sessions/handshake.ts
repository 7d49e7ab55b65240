import { Logger } from '@nestjs/common';
import type { HandshakeErrorCode } from '@flack/contract';
import type { ChannelsService } from '../channels/channels.service.js';
import { FOREIGN_PAGE_MESSAGE, isOriginAllowed } from '../common/http/origin.js';
import { takeRecovery } from '../common/ws/recovery-gate.js';
import type { FlackSocket } from '../common/ws/socket-types.js';
import type { SessionsService } from './sessions.service.js';

/** A refused handshake; the client sees `err.message` and `err.data.code` on `connect_error`. */
class HandshakeError extends Error {
  readonly data: { code: HandshakeErrorCode };
  constructor(code: HandshakeErrorCode, message: string) {
    super(message);
    this.data = { code };
  }
}

const log = new Logger('Handshake');

/**
 * Socket.IO middleware that runs before a socket exists, so a refused client never reaches a
 * handler: the page's Origin, then the session token. A socket that passes carries its user (the
 * only source of identity) and the channels whose rooms it joins on connection.
 */
export function handshake(
  sessions: SessionsService,
  channels: ChannelsService,
  allowedOrigins: readonly string[],
): (socket: FlackSocket, next: (error?: Error) => void) => void {
  return (socket, next) => {
    const { headers, auth } = socket.handshake;
    // Engine.IO's allowRequest refused a foreign page already; this holds if that ever changes.
    if (!isOriginAllowed(headers.origin, socket.request.socket, allowedOrigins)) {
      return next(new HandshakeError('ORIGIN_FORBIDDEN', FOREIGN_PAGE_MESSAGE));
    }
    const token: unknown = auth?.['token'];
    if (token === undefined || token === null || token === '') {
      return next(new HandshakeError('TOKEN_MISSING', 'Choose a display name first.'));
    }
    sessions
      .authenticate(token)
      .then(async (user) => {
        if (!user) {
          return next(new HandshakeError('SESSION_UNKNOWN', 'Your session has ended. Please sign in again.'));
        }
        const { joined } = await channels.membershipOf(user.id);
        // Someone else's pid (or a dead session's) recovers nothing: a fresh, empty session.
        const recovered = takeRecovery(socket, user.id);
        socket.data = { user, joinedAtHandshake: joined, missed: recovered?.missedPackets };
        next();
      })
      .catch((error: unknown) => {
        log.error(error);
        next(new Error('The server could not check your session. Please try again.'));
      });
  };
}
