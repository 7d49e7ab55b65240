/** A person, as every client sees them. The session token is never part of it. */
export interface User {
  id: string;
  /** The display name as the person typed it (trimmed, NFKC-normalised). */
  name: string;
}

/** A channel as listed: `GET /api/channels`, `channel:list`, `channel:created`. */
export interface Channel {
  /** Canonical key: the name trimmed, NFKC-normalised and case-folded. Unique. */
  id: string;
  /** The name as its creator typed it (trimmed, NFKC-normalised). */
  name: string;
  /** How many users have joined it. */
  members: number;
  /** How many messages are stored (at most LIMITS.historySize). */
  messages: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC, or null before the first message. */
  lastMessageAt: string | null;
}

export interface Message {
  /** Unique across the server. */
  id: string;
  /** Channel id this message belongs to. */
  channel: string;
  /** Position in the channel, increasing by one per message; used to catch up after a reconnect. */
  seq: number;
  /** Taken from the sender's session, never from the payload. */
  author: User;
  text: string;
  /** Server clock, ISO 8601 UTC. */
  createdAt: string;
  /** The sender's idempotency key (a UUID): a retry with the same key is stored once. */
  clientId: string;
}

/** A channel opened by its member: the listing plus its stored history, oldest first. */
export interface ChannelWithHistory {
  channel: Channel;
  messages: Message[];
}

/** What a connected client learns about itself, on request after every (re)connect. */
export interface SessionSnapshot {
  user: User;
  /** Ids of the channels this user has joined, in the order they were joined. */
  joined: string[];
  /** The channel the user had open last, if it still exists and they are still a member. */
  lastChannel: string | null;
  /** Every channel on the server, sorted by name. */
  channels: Channel[];
}

/** `POST /api/sessions` body. */
export interface ClaimNameRequest {
  name: string;
}

/** `POST /api/sessions` answer. Keep the token secret: it is the only proof of identity. */
export interface ClaimNameResponse {
  token: string;
  user: User;
}
