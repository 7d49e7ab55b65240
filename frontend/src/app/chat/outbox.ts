import { Injectable, InjectionToken, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { FileInfo, Message, ReplyPreview, SendMessagePayload, SentMessage, User } from '@flack/contract';
import { Subject } from 'rxjs';
import { toAppError } from '../core/app-error';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';
import { SavedSessions, savedNameKey, type SavedOutboxEntry } from '../core/storage';
import { UploadsStore } from '../files/uploads-store';

/** How hard the outbox tries before it calls a message failed. */
export interface DeliveryPolicy {
  /** How long one attempt waits for the server's acknowledgement. */
  ackTimeoutMs: number;
  /** Attempts while connected before a message is marked failed. */
  attempts: number;
  /** Pause before the second attempt; doubles before each further one. */
  retryDelayMs: number;
}

export const DELIVERY_POLICY = new InjectionToken<DeliveryPolicy>('DELIVERY_POLICY', {
  providedIn: 'root',
  factory: () => ({ ackTimeoutMs: 5_000, attempts: 3, retryDelayMs: 1_000 }),
});

/** A message on its way: pending while `failure` is null, failed (waiting for Retry) otherwise. */
export interface OutboxEntry extends SavedOutboxEntry {
  /** What it answers, as the reply will quote it: kept with the entry across reloads and retries. */
  replyTo?: ReplyPreview;
  /** Files it carries (files/uploads-store.ts): it is sent once they are all uploaded. */
  attachments?: OutboxAttachment[];
}

/** A file of a message in the outbox: the upload's key in this page's memory, and what to show. */
export interface OutboxAttachment {
  upload: string;
  name: string;
  size: number;
  /**
   * The stored file, once uploaded: saved with the entry, so a reload after the upload still sends
   * the message (the server keeps an unsent upload for FILE_UNREFERENCED_TTL_MS).
   */
  file?: FileInfo;
}

/** Said on a message whose files were in the memory of a page that was reloaded or closed. */
export const FILES_LOST =
  'Its files were not kept when the page was reloaded (files stay only while the page is open). Discard it and attach them again.';

const NO_ANSWER = 'The server did not answer.';
/** Pause before trying again while the server says it cannot reach its store. */
const UNAVAILABLE_RETRY_MS = 2_000;

/**
 * Messages written and not yet acknowledged, kept in this browser's storage so that neither a
 * dropped connection nor a reload loses them. They are sent one at a time in the order they were
 * written, each with its own `clientId` on every attempt, so the server stores each exactly once.
 * Offline, they wait; on every (re)connect the outbox is flushed again.
 */
@Injectable({ providedIn: 'root' })
export class Outbox {
  private readonly socket = inject(ChatSocket);
  private readonly session = inject(SessionStore);
  private readonly saved = inject(SavedSessions);
  private readonly policy = inject(DELIVERY_POLICY);
  private readonly uploads = inject(UploadsStore);

  private readonly list = signal<readonly OutboxEntry[]>([]);
  /** Whose outbox is loaded: the signed-in name. */
  private owner: string | null = null;
  private readonly acks = new Subject<Message>();
  private flushing = false;
  private flushWanted = false;
  /** Bumped on every sync, so an attempt cut off by a reconnect does not count against the message. */
  private syncs = 0;

  /** Oldest first. */
  readonly entries = this.list.asReadonly();
  /**
   * Each message the server acknowledged, once, as this app knows it before its `message:new`
   * arrives: what was written (text, quote, files), numbered and timed by the server's ack.
   */
  readonly delivered = this.acks.asObservable();

  constructor() {
    effect(() => {
      const name = this.session.displayName();
      untracked(() => this.adopt(name));
    });
    this.session.synced.pipe(takeUntilDestroyed()).subscribe(() => this.syncs++);
    // A message waiting for its files goes once they are uploaded (or says why not).
    this.uploads.settled.pipe(takeUntilDestroyed()).subscribe(() => {
      this.recordUploads();
      void this.flush();
    });
  }

  /** Queues a message (a reply when `replyTo` is given) and sends it as soon as the connection allows. */
  write(channel: string, text: string, replyTo?: ReplyPreview, attachments?: OutboxAttachment[]): void {
    this.adopt(this.session.displayName());
    if (this.owner === null) return;
    this.add({
      clientId: crypto.randomUUID(),
      channel,
      text,
      writtenAt: new Date().toISOString(),
      failure: null,
      ...(replyTo ? { replyTo } : {}),
      ...(attachments?.length ? { attachments } : {}),
    });
    void this.flush();
  }

  /** Sends a failed message again, after anything still queued (it is the newest now). */
  retry(clientId: string): void {
    const entry = this.list().find((known) => known.clientId === clientId);
    if (!entry || entry.failure === null) return;
    this.uploads.retryAll(uploadKeys(entry));
    this.remove(clientId);
    this.add({ ...entry, failure: null });
    void this.flush();
  }

  discard(clientId: string): void {
    const entry = this.list().find((known) => known.clientId === clientId);
    if (entry) this.uploads.release(allUploadKeys(entry));
    this.remove(clientId);
  }

  /**
   * Sends what is pending, oldest first, while the session is ready. Called on every write and
   * after every (re)connect; a call while flushing makes the running flush look again when done.
   */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.flushWanted = true;
      return;
    }
    this.flushing = true;
    this.adopt(this.session.displayName());
    try {
      do {
        this.flushWanted = false;
        while (this.session.ready()) {
          const next = this.list().find((entry) => entry.failure === null);
          if (!next || !(await this.deliver(next))) break;
        }
      } while (this.flushWanted && this.session.ready());
    } finally {
      this.flushing = false;
    }
  }

  /** Returns false to stop flushing: the connection went, and the next one flushes again. */
  private async deliver(entry: OutboxEntry): Promise<boolean> {
    const payload: SendMessagePayload = {
      channel: entry.channel,
      text: entry.text,
      clientId: entry.clientId,
    };
    if (entry.replyTo) payload.replyTo = entry.replyTo.id;
    let attached: FileInfo[] = [];
    if (entry.attachments?.length) {
      this.recordUploads();
      const current = this.list().find((known) => known.clientId === entry.clientId) ?? entry;
      const missing = uploadKeys(current);
      const files = missing.length > 0 ? this.uploads.outcome(missing) : null;
      // Still uploading: later messages wait behind it, so they stay in order.
      if (files?.state === 'waiting') return false;
      if (files && files.state !== 'ready') {
        this.markFailed(
          entry.clientId,
          files.state === 'lost' ? FILES_LOST : `A file did not upload. ${files.reason}`,
        );
        return true;
      }
      attached = (current.attachments ?? []).map(
        (attachment) => attachment.file ?? this.uploads.byKey(attachment.upload)!.info!,
      );
      payload.files = attached.map((file) => file.id);
    }
    for (let attempt = 1; ; attempt++) {
      const syncsBefore = this.syncs;
      try {
        const sent = await this.socket.requestWithin(this.policy.ackTimeoutMs, 'message:send', payload);
        const author = this.session.user();
        this.remove(entry.clientId);
        this.uploads.release(allUploadKeys(entry));
        if (author) this.acks.next(sentMessage(entry, sent, author, attached));
        return true;
      } catch (caught) {
        const error = toAppError(caught);
        // Cut off mid-send (Socket.IO fails the wait at once on a disconnect): the server may or may
        // not have stored it; the resend after the reconnect carries the same clientId either way.
        if (error.code === 'OFFLINE' || !this.socket.connected || this.syncs !== syncsBefore) return false;
        if (error.code === 'RATE_LIMITED' || error.code === 'UNAVAILABLE') {
          // Asked to wait (too fast), or the server's store is briefly out of reach: not the
          // message's fault, so it does not use up an attempt.
          attempt--;
          await delay(error.retryAfterMs ?? UNAVAILABLE_RETRY_MS);
        } else if (error.code === 'TIMEOUT' && attempt < this.policy.attempts) {
          await delay(this.policy.retryDelayMs * 2 ** (attempt - 1));
        } else {
          // Refused (e.g. no longer a member) or no answer after every attempt: the person decides.
          this.markFailed(entry.clientId, error.code === 'TIMEOUT' ? NO_ANSWER : error.message);
          return true;
        }
      }
      // Discarded while waiting to try again.
      if (!this.list().some((known) => known.clientId === entry.clientId)) return true;
      if (!this.session.ready()) return false;
    }
  }

  /** Loads the outbox of whoever signed in (what they left unsent last visit is sent now). */
  private adopt(name: string | null): void {
    const key = (owner: string | null) => (owner === null ? null : savedNameKey(owner));
    if (key(name) === key(this.owner)) {
      this.owner = name;
      return;
    }
    this.owner = name;
    this.list.set(name === null ? [] : this.saved.outbox(name).map(withValidReply).map(withValidAttachments));
  }

  // Each change is made to this tab's list and to the stored one, which other tabs share.

  private add(entry: OutboxEntry): void {
    this.list.update((entries) => [...entries, entry]);
    this.store((entries) => [...entries.filter((known) => known.clientId !== entry.clientId), entry]);
  }

  private remove(clientId: string): void {
    const keep = (entries: readonly OutboxEntry[]) => entries.filter((known) => known.clientId !== clientId);
    this.list.update(keep);
    this.store(keep);
  }

  private markFailed(clientId: string, failure: string): void {
    const mark = (entries: readonly OutboxEntry[]) =>
      entries.map((known) => (known.clientId === clientId ? { ...known, failure } : known));
    this.list.update(mark);
    this.store(mark);
  }

  /** Writes each finished upload's file into the entries carrying it (here and in storage). */
  private recordUploads(): void {
    const record = (entries: readonly OutboxEntry[]) =>
      entries.map((entry) => {
        if (!entry.attachments?.some((attachment) => !attachment.file)) return entry;
        const attachments = entry.attachments.map((attachment) => {
          const info = attachment.file ? undefined : this.uploads.byKey(attachment.upload)?.info;
          return info ? { ...attachment, file: info } : attachment;
        });
        return attachments.every((a, i) => a === entry.attachments![i]) ? entry : { ...entry, attachments };
      });
    const before = this.list();
    const after = record(before);
    if (after.every((entry, i) => entry === before[i])) return;
    this.list.set(after);
    this.store(record);
  }

  private store(change: (entries: OutboxEntry[]) => OutboxEntry[]): void {
    if (this.owner !== null) this.saved.updateOutbox(this.owner, change);
  }
}

/**
 * The messages no channel page can show: failed, for a conversation this person is not in now
 * (`joined`). A server restart that lost the channel leaves these (the send answers NOT_FOUND; the
 * channel is missing from the list), and so does a channel left in another tab meanwhile
 * (NOT_A_MEMBER). The shell lists them (shell/unsent-notice.ts) with Copy and Discard, since the
 * page they were written on cannot open. A pending one is not judged yet: the outbox has not tried.
 */
export function strandedEntries(entries: readonly OutboxEntry[], joined: ReadonlySet<string>): OutboxEntry[] {
  return entries.filter((entry) => entry.failure !== null && !joined.has(entry.channel));
}

/** The message as its author wrote it, with what the server's ack added (`id`, `seq`, `createdAt`). */
function sentMessage(entry: OutboxEntry, sent: SentMessage, author: User, files: FileInfo[]): Message {
  return {
    id: sent.id,
    channel: entry.channel,
    seq: sent.seq,
    author,
    text: entry.text,
    createdAt: sent.createdAt,
    clientId: entry.clientId,
    ...(entry.replyTo ? { replyTo: entry.replyTo } : {}),
    ...(files.length ? { files } : {}),
  };
}

/**
 * Storage is shared with other versions of the app: a saved entry's quote is kept only when it is
 * well-formed (the message is still sent, as a plain one, when it is not).
 */
function withValidReply(entry: OutboxEntry): OutboxEntry {
  if (entry.replyTo === undefined || isReplyPreview(entry.replyTo)) return entry;
  const { replyTo: _dropped, ...plain } = entry;
  return plain;
}

/** The uploads a message still waits for. */
function uploadKeys(entry: OutboxEntry): string[] {
  return (entry.attachments ?? []).filter((a) => !a.file).map((attachment) => attachment.upload);
}

function allUploadKeys(entry: OutboxEntry): string[] {
  return (entry.attachments ?? []).map((attachment) => attachment.upload);
}

/** Saved attachments that are not well-formed are dropped (the message then says what it can). */
function withValidAttachments(entry: OutboxEntry): OutboxEntry {
  if (entry.attachments === undefined) return entry;
  const valid =
    Array.isArray(entry.attachments) &&
    entry.attachments.every(
      (a: unknown) =>
        !!a &&
        typeof (a as OutboxAttachment).upload === 'string' &&
        typeof (a as OutboxAttachment).name === 'string' &&
        typeof (a as OutboxAttachment).size === 'number' &&
        ((a as OutboxAttachment).file === undefined || typeof (a as OutboxAttachment).file?.id === 'string'),
    );
  if (valid) return entry;
  const { attachments: _dropped, ...plain } = entry;
  return plain;
}

function isReplyPreview(value: unknown): value is ReplyPreview {
  if (!value || typeof value !== 'object') return false;
  const preview = value as Record<string, unknown>;
  const author = preview['author'] as Record<string, unknown> | null | undefined;
  return (
    typeof preview['id'] === 'string' &&
    typeof preview['seq'] === 'number' &&
    typeof preview['excerpt'] === 'string' &&
    !!author &&
    typeof author === 'object' &&
    typeof author['id'] === 'string' &&
    typeof author['name'] === 'string'
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
