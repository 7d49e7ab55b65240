/** Every error the server can answer with. Clients switch on the code and show the message. */
export const ERROR_CODES = [
  'INVALID',
  'NAME_TAKEN',
  'CHANNEL_EXISTS',
  'NOT_FOUND',
  'NOT_A_MEMBER',
  'FORBIDDEN',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'INTERNAL',
  /** The shared store (Redis, when Flack runs as several instances) is out of reach for now; try again shortly. */
  'UNAVAILABLE',
  /** REST only: the request body is larger than the server accepts (HTTP 413). */
  'TOO_LARGE',
  /** REST only: a request that changes something must send its body as `application/json` (HTTP 415). */
  'UNSUPPORTED_MEDIA_TYPE',
  /** A storage quota (the person's, or the server's total for files) is full; nothing was stored. */
  'QUOTA_EXCEEDED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  /** A sentence a person can read. */
  message: string;
  /** For INVALID: messages per field, e.g. `{ name: ['name must not be empty'] }`. */
  details?: Record<string, string[]>;
  /** For RATE_LIMITED: how long to wait before trying again. */
  retryAfterMs?: number;
}

/** Why a Socket.IO handshake was refused; sent as `connect_error` `data.code`. */
export const HANDSHAKE_ERROR_CODES = [
  /** No token in `auth.token`. */
  'TOKEN_MISSING',
  /** The token is not a session the server knows (forged, revoked, expired, or the server restarted). */
  'SESSION_UNKNOWN',
  /** The page's Origin is not allowed to connect. */
  'ORIGIN_FORBIDDEN',
] as const;

export type HandshakeErrorCode = (typeof HANDSHAKE_ERROR_CODES)[number];

export interface HandshakeErrorData {
  code: HandshakeErrorCode;
}
