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
  /** A channel topic, counted in graphemes (same rules as a message otherwise). */
  topicMaxLength: 250,
  /** Distinct emoji on one message. */
  reactionsPerMessage: 20,
  /** How much of the original a reply quotes, in graphemes. */
  replyExcerptLength: 100,
  /** A search query, counted in graphemes. */
  searchQueryMaxLength: 200,
  /** Search answers at most this many messages, newest first. */
  searchResults: 50,
  /** Files attached to one message. */
  filesPerMessage: 10,
  /** Largest Socket.IO frame the server accepts, in bytes; a larger one closes that socket. */
  maxFrameBytes: 64 * 1024,
} as const;

/** Paths the server reserves; everything else is the Angular app. */
export const API_PREFIX = '/api';
export const SOCKET_PATH = '/socket.io';
