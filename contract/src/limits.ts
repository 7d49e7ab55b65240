/** Limits enforced by the server and mirrored by the client for early feedback. */
export const LIMITS = {
  /** Display names, counted in user-perceived characters (graphemes) after trimming. */
  displayNameMaxLength: 32,
  /** Channel names, counted in graphemes after trimming. */
  channelNameMaxLength: 64,
  /** Message text, counted in graphemes. */
  messageMaxLength: 2000,
  /** Messages kept per channel; older ones are evicted. */
  historySize: 100,
  /** Largest Socket.IO frame the server accepts, in bytes; a larger one closes that socket. */
  maxFrameBytes: 64 * 1024,
} as const;

/** Paths the server reserves; everything else is the Angular app. */
export const API_PREFIX = '/api';
export const SOCKET_PATH = '/socket.io';
