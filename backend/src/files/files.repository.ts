import type { FileInfo } from '@flack/contract';

/** A stored file: what members see (`FileInfo`) and what the server keeps to decide who may. */
export interface FileRecord {
  info: FileInfo;
  /** Who uploaded it: the only one who may attach it, or fetch it before it is attached. */
  owner: string;
  /** Bytes it holds against the quotas: the content and the thumbnail together. */
  bytes: number;
  /** Set once a message claims it: the channel, and the message's `clientId` (a retry claims it again). */
  channel?: string;
  clientId?: string;
  /** Set once the claiming message is stored; until then the file expires like an unattached one. */
  seq?: number;
  /** Epoch ms after which an upload no message has stored is removed; absent once attached. */
  expiresAt?: number;
}

export type FileVariant = 'content' | 'thumbnail';

/**
 * The bytes of a file or its thumbnail: their length (for Content-Length) and the pieces, read one
 * at a time as the response drains, so a download never holds more than a piece beyond what is
 * stored. A piece that is gone meanwhile (the file was removed) fails the iteration.
 */
export interface FileBytes {
  length: number;
  pieces: AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** Why a reservation was refused, or null when the bytes are reserved. */
export type QuotaProblem = 'user' | 'total' | null;

export interface Quotas {
  perUser: number;
  total: number;
}

/** Why a claim was refused: which id, and whether it is unknown (or not the person's) or attached elsewhere. */
export type ClaimProblem = { id: string; reason: 'unknown' | 'attached' } | null;

/**
 * Stored files, their bytes and the quota counters. Bytes are reserved before anything is stored
 * and released when a file goes, each in one atomic step, so the counters always equal what is
 * stored plus what uploads in flight hold.
 */
export abstract class FilesRepository {
  /** Adds `bytes` to the user's and the total counter unless either would pass its quota. */
  abstract reserve(owner: string, bytes: number, quotas: Quotas): Promise<QuotaProblem>;

  /** Gives back reserved bytes (an upload that failed, or the unused part of a reservation). */
  abstract release(owner: string, bytes: number): Promise<void>;

  /** Stores a file whose `bytes` are already reserved. */
  abstract save(record: FileRecord, content: Buffer, thumbnail?: Buffer): Promise<void>;

  abstract find(id: string): Promise<FileRecord | undefined>;

  /** The bytes of the file or its thumbnail, or undefined when there are none. */
  abstract read(id: string, variant: FileVariant): Promise<FileBytes | undefined>;

  /**
   * Claims the owner's files for a message of `channel` with `clientId`, all or none: each must be
   * theirs and unattached, or already claimed by this very message (a retry). `expiresAt` holds
   * them until the message is stored. Answers the files, or which one could not be claimed.
   */
  abstract claim(
    owner: string,
    ids: string[],
    channel: string,
    clientId: string,
    expiresAt: number,
  ): Promise<{ files: FileRecord[] } | { problem: NonNullable<ClaimProblem> }>;

  /** The message claiming these files was stored as `seq`: they are attached and stop expiring. */
  abstract attach(channel: string, ids: string[], seq: number): Promise<void>;

  /** Removes files and gives their bytes back; unknown ids are skipped. Answers the bytes freed. */
  abstract remove(ids: string[]): Promise<number>;

  /** Ids of files attached to the message `seq` of the channel. */
  abstract idsOfMessage(channel: string, seq: number): Promise<string[]>;

  /** Ids of files attached to messages up to `seq` (evicted ones). */
  abstract idsUpTo(channel: string, seq: number): Promise<string[]>;

  /** Ids of every file of the channel, claimed or attached. */
  abstract idsOfChannel(channel: string): Promise<string[]>;

  /** Ids of uploads that expired by `now` (never attached). */
  abstract expired(now: number): Promise<string[]>;

  /** Ids of the owner's uploads not attached yet. */
  abstract unattachedOf(owner: string): Promise<string[]>;

  /** Forgets the owner's counter (after their unattached files went); attached files stay in the total. */
  abstract forgetOwner(owner: string): Promise<void>;

  /** Reserved and stored bytes: the user's, and everyone's. */
  abstract usage(owner: string): Promise<{ user: number; total: number }>;
}
