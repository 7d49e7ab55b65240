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
  /**
   * Set for a direct conversation: its two people. Only they can see it, and it is never listed to
   * anyone else; `name` is their names.
   */
  dm?: User[];
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
  /** When the author last changed the text (ISO 8601 UTC); absent if never. */
  editedAt?: string;
  /**
   * When the author deleted it (ISO 8601 UTC). The text is gone (empty) and clients hide the
   * message; it keeps its `seq`, so a client catching up sees no gap.
   */
  deletedAt?: string;
}

/** One user's read position in one joined channel, kept on the server so every tab and device agrees. */
export interface ReadState {
  channel: string;
  /** The newest `seq` this user has read. */
  lastReadSeq: number;
  /** Stored messages by others after `lastReadSeq`, not deleted. */
  unread: number;
  /** How many of those mention the user (`@name`). */
  mentions: number;
}

/** Someone came online (first tab) or went offline (last tab closed, after a grace period). */
export interface PresenceChange {
  user: User;
  online: boolean;
}

/** Someone joined or left a channel; sent to its members. */
export interface MembershipChange {
  channel: string;
  user: User;
  joined: boolean;
}

/** Who is typing in a channel right now; sent whenever that changes. */
export interface TypingState {
  channel: string;
  users: User[];
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
  /** Who is online, this user included. */
  online: User[];
  /** The read position and unread counts of each joined channel. */
  readStates: ReadState[];
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
