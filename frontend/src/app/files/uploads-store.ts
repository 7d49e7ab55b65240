import { Injectable, computed, effect, inject, signal, untracked, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { FileInfo } from '@flack/contract';
import { Subject } from 'rxjs';
import { toAppError } from '../core/app-error';
import { SessionStore } from '../core/session-store';
import { FileAccess } from './file-access';
import { FileLimitsStore } from './file-limits';
import { FILES_PER_MESSAGE, tooLargeBeforeUpload, uploadFailure } from './file-format';
import { UPLOAD_TRANSPORT, UploadCancelled, type UploadHandle } from './upload-transport';

/**
 * `waiting`: not started (offline, or others are uploading first); `uploading`: bytes on their
 * way; `done`: stored, `info` set; `failed`: `failure` says why.
 */
export type UploadState = 'waiting' | 'uploading' | 'done' | 'failed';

export interface Upload {
  key: string;
  channel: string;
  name: string;
  size: number;
  /** As the browser guessed it from the name; only for the tray's icon (the server detects the real one). */
  type: string;
  state: UploadState;
  /** 0 to 1. */
  progress: number;
  info?: FileInfo;
  failure?: string;
  /** False when trying again cannot help (the app already knows the file is too large). */
  retryable: boolean;
  /** In the composer's tray; false once a message written in the outbox carries it. */
  inTray: boolean;
}

/** What a message waiting in the outbox can do about its files now. */
export type FilesOutcome =
  | { state: 'ready'; files: FileInfo[] }
  | { state: 'waiting' }
  | { state: 'failed'; reason: string }
  /** Not in this page's memory: the page was reloaded (File objects do not survive it). */
  | { state: 'lost' };

/** Uploads at once; the others wait their turn (each still shows its own bar). */
const PARALLEL = 3;

/**
 * Files picked in the composer, uploaded one request each (`POST /api/files`) with progress,
 * cancel and retry, and kept until the message carrying them is stored. They live in this page's
 * memory only: the outbox keeps a message across a reload, its files are not kept (the message
 * says so). Picked while offline, they upload once the session is back.
 */
@Injectable({ providedIn: 'root' })
export class UploadsStore {
  private readonly session = inject(SessionStore);
  private readonly access = inject(FileAccess);
  private readonly transport = inject(UPLOAD_TRANSPORT);
  private readonly limits = inject(FileLimitsStore);
  private readonly list = signal<readonly Upload[]>([]);
  private readonly files = new Map<string, File>();
  private readonly handles = new Map<string, UploadHandle>();
  private readonly settlements = new Subject<void>();

  readonly uploads = this.list.asReadonly();
  /** An upload finished or failed: a message waiting for it may go now. */
  readonly settled = this.settlements.asObservable();

  constructor() {
    effect(() => {
      if (this.session.ready()) untracked(() => this.pump());
    });
    this.session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => {
      for (const key of [...this.handles.keys()]) this.abort(key);
      this.files.clear();
      this.list.set([]);
    });
  }

  /** The composer's tray for a channel: picked and not sent yet. */
  trayFor(channel: Signal<string | null>): Signal<readonly Upload[]> {
    return computed(() => {
      const id = channel();
      return this.list().filter((upload) => upload.inTray && upload.channel === id);
    });
  }

  byKey(key: string): Upload | undefined {
    return this.list().find((upload) => upload.key === key);
  }

  /**
   * Adds files to a channel's tray and starts uploading them. Returns what was refused in words
   * (more than a message can carry), or null. A file over the size limit is added as failed.
   */
  add(channel: string, picked: readonly File[]): string | null {
    const room = FILES_PER_MESSAGE - this.list().filter((u) => u.inTray && u.channel === channel).length;
    const taken = picked.slice(0, Math.max(0, room));
    const maxFileBytes = this.limits.limits()?.maxFileBytes ?? Infinity;
    const added = taken.map((file): Upload => {
      const key = crypto.randomUUID();
      this.files.set(key, file);
      const tooLarge = file.size > maxFileBytes;
      return {
        key,
        channel,
        name: file.name || 'pasted image',
        size: file.size,
        type: file.type,
        state: tooLarge ? 'failed' : 'waiting',
        progress: 0,
        retryable: !tooLarge,
        inTray: true,
        ...(tooLarge ? { failure: uploadFailure(tooLargeBeforeUpload(maxFileBytes)) } : {}),
      };
    });
    this.list.update((list) => [...list, ...added]);
    this.pump();
    return taken.length < picked.length
      ? `A message can carry at most ${FILES_PER_MESSAGE} files: ${picked.length - taken.length} not added.`
      : null;
  }

  /** Stops an upload (or forgets a finished one) and takes it out of the tray or the message. */
  cancel(key: string): void {
    this.abort(key);
    this.forget([key]);
    this.pump();
  }

  retry(key: string): void {
    const upload = this.byKey(key);
    if (!upload || upload.state !== 'failed' || !upload.retryable || !this.files.has(key)) return;
    this.patch(key, { state: 'waiting', progress: 0, failure: undefined });
    this.pump();
  }

  /** The tray's uploads, now carried by a message in the outbox (oldest first). */
  takeTray(channel: string): Upload[] {
    const taken = this.list().filter((upload) => upload.inTray && upload.channel === channel);
    const keys = new Set(taken.map((upload) => upload.key));
    this.list.update((list) => list.map((u) => (keys.has(u.key) ? { ...u, inTray: false } : u)));
    return taken;
  }

  /** Whether a message carrying these uploads can be sent: all stored, one failed, still going, or gone. */
  outcome(keys: readonly string[]): FilesOutcome {
    const uploads = keys.map((key) => this.byKey(key));
    if (uploads.some((upload) => upload === undefined)) return { state: 'lost' };
    const failed = uploads.find((upload) => upload!.state === 'failed');
    if (failed) return { state: 'failed', reason: `${failed.name}: ${failed.failure}` };
    if (uploads.some((upload) => upload!.state !== 'done')) return { state: 'waiting' };
    return { state: 'ready', files: uploads.map((upload) => upload!.info!) };
  }

  /** Tries the failed ones of a message's uploads again. */
  retryAll(keys: readonly string[]): void {
    for (const key of keys) this.retry(key);
  }

  /** The message was stored or discarded: its files are not needed in memory any more. */
  release(keys: readonly string[]): void {
    for (const key of keys) this.abort(key);
    this.forget(keys);
    this.pump();
  }

  /** Starts waiting uploads while the session is ready, a few at a time, oldest first. */
  private pump(): void {
    if (!this.session.ready()) return;
    const token = this.access.token();
    if (token === null) return;
    let running = this.list().filter((upload) => upload.state === 'uploading').length;
    for (const upload of this.list()) {
      if (running >= PARALLEL) break;
      if (upload.state !== 'waiting') continue;
      running++;
      this.start(upload.key, token);
    }
  }

  private start(key: string, token: string): void {
    const file = this.files.get(key);
    if (!file) return;
    this.patch(key, { state: 'uploading', progress: 0 });
    const handle = this.transport({
      file,
      name: this.byKey(key)?.name ?? file.name,
      token,
      onProgress: (sent, total) => this.patch(key, { progress: total > 0 ? Math.min(1, sent / total) : 0 }),
    });
    this.handles.set(key, handle);
    handle.done.then(
      (info) => {
        this.handles.delete(key);
        this.patch(key, { state: 'done', progress: 1, info });
        this.settle();
      },
      (caught: unknown) => {
        this.handles.delete(key);
        if (caught instanceof UploadCancelled || !this.byKey(key)) return;
        const error = toAppError(caught);
        const offline = error.code === 'OFFLINE' || (error.code === 'NETWORK' && !this.session.ready());
        // Cut off by the connection going: it starts again by itself once the session is back.
        if (offline) this.patch(key, { state: 'waiting', progress: 0 });
        else this.patch(key, { state: 'failed', failure: uploadFailure(error) });
        this.settle();
      },
    );
  }

  private settle(): void {
    this.pump();
    this.settlements.next();
  }

  private abort(key: string): void {
    const handle = this.handles.get(key);
    this.handles.delete(key);
    handle?.abort();
  }

  private forget(keys: readonly string[]): void {
    const gone = new Set(keys);
    for (const key of keys) this.files.delete(key);
    this.list.update((list) => list.filter((upload) => !gone.has(upload.key)));
  }

  private patch(key: string, change: Partial<Upload>): void {
    this.list.update((list) =>
      list.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)),
    );
  }
}
