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
  /** What the channel is about, set by any member; absent when none. Same text rules as a message. */
  topic?: string;
}

/** One emoji on a message and who chose it, in the order they did. A person is in `users` once. */
export interface Reaction {
  /** A single emoji, as the server stores it (fully qualified, skin tone included when chosen). */
  emoji: string;
  users: User[];
}

/** What a reply shows of the message it answers, taken by the server when the reply is sent. */
export interface ReplyPreview {
  /** The original's `id`, to jump to it while it is still in the history. */
  id: string;
  seq: number;
  author: User;
  /** The original's first line, cut to LIMITS.replyExcerptLength graphemes (see `replyExcerpt`). */
  excerpt: string;
  /** Set when the original was deleted: its excerpt is gone too (empty), as is its text. */
  deleted?: true;
}

/** A file attached to a message (see `POST /api/files`). Served at `/api/files/:id` to members only. */
export interface FileInfo {
  id: string;
  /** The file name as uploaded, for display only (shown as text, never used as a path). */
  name: string;
  /** Detected from the bytes by the server, never taken from the client. */
  type: string;
  /** In bytes. */
  size: number;
  /** Set for images shown inline (PNG, JPEG, GIF, WebP): their size in pixels, known before loading. */
  image?: { width: number; height: number };
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
  /**
   * How many times the stored message has changed (edit, deletion, reaction); absent for 0. Of two
   * copies of one message, the larger revision is the newer, whatever order they arrived in.
   */
  revision?: number;
  /** Reactions in the order each emoji was first chosen; absent when none. Dropped on deletion. */
  reactions?: Reaction[];
  /** Set when the message answers another one of the same channel. */
  replyTo?: ReplyPreview;
  /** Files attached when it was sent; absent when none. Deleted with the message. */
  files?: FileInfo[];
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
