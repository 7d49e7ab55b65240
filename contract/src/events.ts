import type { ErrorBody } from './errors.js';
import type {
  Channel,
  ChannelWithHistory,
  MembershipChange,
  Message,
  PresenceChange,
  ReadState,
  SessionSnapshot,
  TypingState,
  User,
} from './models.js';
import type { SentMessage } from './sent.js';

/** Every client event is acknowledged exactly once with one of these. */
export type AckResponse<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type Ack<T> = (response: AckResponse<T>) => void;

/** Payloads of client events. The backend's DTO classes implement these. */
export interface ChannelRef {
  /** A channel name or id; both are normalised the same way. */
  channel: string;
}

export interface CreateChannelPayload {
  name: string;
}

export interface SendMessagePayload {
  channel: string;
  text: string;
  /** A UUID chosen by the client; retries reuse it. */
  clientId: string;
  /** The `id` of the message of the same channel this one answers; it must still be in the history. */
  replyTo?: string;
  /**
   * Ids of files this person uploaded (`POST /api/files`) and has not attached yet, at most
   * LIMITS.filesPerMessage. With files, `text` may be empty.
   */
  files?: string[];
}

export interface OpenDmPayload {
  /** The other person's user id. */
  userId: string;
}

export interface MessageRef {
  channel: string;
  /** The message's `id`. */
  id: string;
}

export interface EditMessagePayload extends MessageRef {
  text: string;
}

export interface ReactionPayload extends MessageRef {
  /** One emoji (a single RGI emoji sequence, e.g. `👍🏽`); see `isEmoji` in contract/src/emoji.ts. */
  emoji: string;
}

export interface TopicPayload {
  channel: string;
  /** Up to LIMITS.topicMaxLength graphemes; an empty (or blank) topic removes it. */
  topic: string;
}

export interface SearchPayload {
  /** Words to find (all of them, case and accents aside), up to LIMITS.searchQueryMaxLength graphemes. */
  query: string;
}

/** One message found by `message:search`. */
export interface SearchHit {
  message: Message;
}

export interface ReadPayload {
  channel: string;
  /** The newest `seq` the person has seen; a smaller one than already recorded changes nothing. */
  seq: number;
}

export interface HistoryPayload {
  channel: string;
  /** Only messages with a larger `seq`; omit for the whole stored history. */
  afterSeq?: number;
}

export interface HistoryPage {
  messages: Message[];
  /**
   * True when messages after `afterSeq` were evicted before they could be sent: the client should
   * replace its view with `messages` rather than append them.
   */
  truncated: boolean;
}

/**
 * Events a client sends. The socket is authenticated in the handshake (`auth: { token }`), so no
 * payload ever names its sender.
 */
export interface ClientToServerEvents {
  /** Who am I, which channels have I joined, where was I. */
  'session:get': (ack: Ack<SessionSnapshot>) => void;
  /** End the session for good: releases the name and disconnects every tab. */
  'session:forget': (ack: Ack<null>) => void;
  'channel:list': (ack: Ack<Channel[]>) => void;
  /** Creates the channel and joins the creator to it. */
  'channel:create': (payload: CreateChannelPayload, ack: Ack<ChannelWithHistory>) => void;
  /** Joins (idempotent) and opens the channel: returns its history and remembers it as the last one. */
  'channel:join': (payload: ChannelRef, ack: Ack<ChannelWithHistory>) => void;
  'channel:leave': (payload: ChannelRef, ack: Ack<null>) => void;
  /**
   * Opens (creating on first use) the direct conversation with another user; both become its
   * members and every tab of both gets `channel:joined`. Unknown user: NOT_FOUND.
   */
  'dm:open': (payload: OpenDmPayload, ack: Ack<ChannelWithHistory>) => void;
  /** Members only: the stored history, or what came after `afterSeq`. */
  'channel:history': (payload: HistoryPayload, ack: Ack<HistoryPage>) => void;
  /**
   * Members only. Answers with the stored message's `id`, `seq` and `createdAt` (the same for a
   * retry of the same `clientId`); the whole message comes to every member's tabs as `message:new`
   * (again for a retry, unless the message has left the history).
   */
  'message:send': (payload: SendMessagePayload, ack: Ack<SentMessage>) => void;
  /** The author only. Answers with the changed message; members get `message:updated`. */
  'message:edit': (payload: EditMessagePayload, ack: Ack<Message>) => void;
  /** The author only; a second delete is NOT_FOUND. Answers with the tombstone (`deletedAt`, no text). */
  'message:delete': (payload: MessageRef, ack: Ack<Message>) => void;
  /**
   * Members only: adds this person's reaction (idempotent). Answers with the changed message; members
   * get `message:updated`. A deleted or evicted message is NOT_FOUND; a 21st distinct emoji INVALID.
   */
  'message:react': (payload: ReactionPayload, ack: Ack<Message>) => void;
  /** Members only: takes this person's reaction away (idempotent); members get `message:updated`. */
  'message:unreact': (payload: ReactionPayload, ack: Ack<Message>) => void;
  /**
   * Every message this person can read (their channels and DMs, the stored history) that contains
   * all the words of the query, newest first, at most LIMITS.searchResults.
   */
  'message:search': (payload: SearchPayload, ack: Ack<SearchHit[]>) => void;
  /** Members only: sets (or, with an empty topic, clears) the channel's topic; everyone who sees the channel gets `channel:updated`. */
  'channel:topic': (payload: TopicPayload, ack: Ack<Channel>) => void;
  /** Members only: marks the channel read up to `seq`; every tab of the user gets `channel:read`. */
  'channel:read': (payload: ReadPayload, ack: Ack<ReadState>) => void;
  /** Members only: who is in the channel. */
  'channel:members': (payload: ChannelRef, ack: Ack<User[]>) => void;
  /** Members only: "I am typing" — repeat every few seconds while typing; it expires on its own. */
  'typing:start': (payload: ChannelRef, ack: Ack<null>) => void;
  /** Members only: stopped typing (sent, or cleared the field). */
  'typing:stop': (payload: ChannelRef, ack: Ack<null>) => void;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  /** To everyone: a channel was created. */
  'channel:created': (channel: Channel) => void;
  /** To the members of a channel. */
  'message:new': (message: Message) => void;
  /** To everyone who can see the channel (its two people, for a DM): its topic changed. */
  'channel:updated': (channel: Channel) => void;
  /**
   * To the members of a channel: a message was edited, deleted or reacted to (same `id` and `seq`,
   * a larger `revision`).
   */
  'message:updated': (message: Message) => void;
  /** To every tab of the user: their read position in a channel moved. */
  'channel:read': (state: ReadState) => void;
  /** To the members of a channel: someone joined or left it. */
  'channel:membership': (change: MembershipChange) => void;
  /** To the members of a channel: who is typing there now. */
  typing: (state: TypingState) => void;
  /**
   * To every socket that asked for the online list (`session:get`, which the app does on every
   * connect): who came online or went offline, gathered over half a second (one user at most once,
   * latest state), so a crowd connecting at once is a few broadcasts, not one per person.
   */
  'presence:changed': (changes: PresenceChange[]) => void;
  /** To every tab of the user who joined, so other tabs follow along. */
  'channel:joined': (channel: Channel) => void;
  /** To every tab of the user who left. */
  'channel:left': (ref: { channel: string }) => void;
  /**
   * To everyone: a channel was removed because nobody is a member any more (its last member left,
   * or their name was released). Its name is free again.
   */
  'channel:removed': (ref: { channel: string }) => void;
  /** To every tab of a session that was just ended; the server disconnects them next. */
  'session:ended': () => void;
  /**
   * To everyone: the server is shutting down (a deploy or restart). Clients keep reconnecting; if
   * the server comes back without its memory, their token is unknown (`SESSION_UNKNOWN`).
   */
  'server:shutdown': () => void;
}

/** Names of client events, for code that iterates over them (tests, fuzzing). */
export const CLIENT_EVENTS = [
  'session:get',
  'session:forget',
  'channel:list',
  'channel:create',
  'channel:join',
  'channel:leave',
  'channel:history',
  'dm:open',
  'message:send',
  'message:edit',
  'message:delete',
  'message:react',
  'message:unreact',
  'message:search',
  'channel:topic',
  'channel:read',
  'channel:members',
  'typing:start',
  'typing:stop',
] as const satisfies readonly (keyof ClientToServerEvents)[];
