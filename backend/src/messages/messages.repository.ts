import type { Message, User } from '@flack/contract';

export interface MessageDraft {
  channel: string;
  author: User;
  text: string;
  clientId: string;
}

export interface AppendResult {
  message: Message;
  /** True when this `clientId` was already stored for this author: nothing new was written. */
  duplicate: boolean;
}

/** An edit (new text) or a deletion (the text is dropped, the `seq` stays taken). */
export type MessageChange = { text: string; editedAt: string } | { deletedAt: string };

/** The changed message, or why nothing changed: no such (or a deleted) message, or not the author's. */
export type ChangeResult = { message: Message } | { refused: 'NOT_FOUND' | 'FORBIDDEN' };

/**
 * Each channel's most recent messages, oldest first, capped at `LIMITS.historySize`. Async
 * throughout so that a shared store (Redis) can stand in for the in-memory one.
 */
export abstract class MessagesRepository {
  /**
   * Stores a message once per author and `clientId`, stamping id, seq and time. Atomic: two
   * concurrent calls with one `clientId` store one message.
   */
  abstract append(draft: MessageDraft): Promise<AppendResult>;
  /** The stored history of a channel, oldest first. */
  abstract recent(channel: string): Promise<Message[]>;
  /**
   * Edits or deletes a stored message if `authorId` wrote it and it is not deleted. Atomic: of two
   * concurrent deletions, one succeeds and the other finds nothing.
   */
  abstract change(
    channel: string,
    id: string,
    authorId: string,
    change: MessageChange,
  ): Promise<ChangeResult>;
}
