import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { THUMBNAIL_MAX_SIDE, type InlineImageType } from '@flack/contract';
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AppError } from '../common/app-error.js';

/**
 * Images larger than this many pixels (all frames together) are refused before they are decoded:
 * a small file can declare a huge canvas (a decompression bomb). 50 MP is more than phone cameras
 * take, and about 200 MB of pixels while it is worked on.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * The image process's niceness (0 is the server's, 19 the lowest priority). At 10 the kernel gives
 * it about a tenth of a contended core, so chat keeps its latency while photos are uploaded, and
 * images get every cycle chat leaves idle.
 */
export const IMAGE_WORKER_NICENESS = 10;

/** A job that takes longer than this (a hostile file, a stuck decoder) kills the process. */
const JOB_TIMEOUT_MS = 30_000;

/** The process exits after this long without work, giving back libvips' memory. */
const IDLE_EXIT_MS = 60_000;

const WORKER = fileURLToPath(new URL('./image-worker.mjs', import.meta.url));

export interface CleanImage {
  /** Re-encoded without metadata (EXIF with its GPS position, XMP, IPTC, comments), upright. */
  content: Buffer;
  /** At most THUMBNAIL_MAX_SIDE on each side; absent when the image is no larger than that. */
  thumbnail?: Buffer;
  width: number;
  height: number;
}

type Reply =
  | { id: number; ok: true; content: Uint8Array; thumbnail?: Uint8Array; width: number; height: number }
  | { id: number; ok: false };

interface Job {
  resolve: (image: CleanImage) => void;
  reject: (error: AppError) => void;
}

const unreadable = () =>
  new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    'That image could not be read (it may be damaged, or too large in pixels). Try another file.',
  );

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Cleans uploaded images in a child process at a lower CPU priority (image-worker.mjs has the
 * pipeline): on a two-core server, re-encoding 1 MB photos in the server's own process took the
 * core chat needed. One image at a time, which also bounds the memory decoded pixels take.
 * Unreadable images are refused rather than stored as they came, since their metadata could not
 * be removed.
 */
@Injectable()
export class ImageCleaner implements OnModuleDestroy {
  private readonly log = new Logger(ImageCleaner.name);
  private worker?: ChildProcess;
  private nextId = 0;
  private current?: { id: number; job: Job; timer: NodeJS.Timeout };
  /** One image at a time: each job starts when the one before it has settled. */
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private idleTimer?: NodeJS.Timeout;

  /** Re-encodes an inline image without its metadata, with a thumbnail when it is large. */
  clean(input: Buffer, type: InlineImageType): Promise<CleanImage> {
    this.queued++;
    const job = this.queue.then(() => this.run(input, type));
    this.queue = job
      .catch(() => undefined)
      .finally(() => {
        if (--this.queued === 0) this.idle();
      });
    return job;
  }

  /** The image process's pid while it runs (it starts with the first image). */
  get processId(): number | undefined {
    return this.worker?.pid;
  }

  onModuleDestroy(): void {
    clearTimeout(this.idleTimer);
    this.stop();
  }

  private run(input: Buffer, type: InlineImageType): Promise<CleanImage> {
    return new Promise<CleanImage>((resolve, reject) => {
      clearTimeout(this.idleTimer);
      const worker = this.start();
      const id = ++this.nextId;
      const timer = setTimeout(() => {
        this.log.warn(`An image took over ${JOB_TIMEOUT_MS} ms; its process was stopped.`);
        this.stop();
      }, JOB_TIMEOUT_MS);
      this.current = { id, job: { resolve, reject }, timer };
      worker.send({ id, input, type, maxPixels: MAX_IMAGE_PIXELS, thumbnailSide: THUMBNAIL_MAX_SIDE });
    });
  }

  private start(): ChildProcess {
    if (this.worker) return this.worker;
    // No execArgv: the server's own flags (an inspector port, test-runner flags) are not the child's.
    const worker = fork(WORKER, [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      if (worker.pid !== undefined) setPriority(worker.pid, IMAGE_WORKER_NICENESS);
    } catch (error) {
      this.log.warn(`Could not lower the image process's priority: ${String(error)}`);
    }
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => this.log.error(`Image process: ${error.message}`));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // It died at work (out of memory on a hostile image, killed after the timeout): that
      // image is refused, and the next one starts a new process.
      this.fail(unreadable());
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    if (this.current?.id !== reply.id) return;
    const job = this.take()!;
    if (!reply.ok) return job.reject(unreadable());
    job.resolve({
      content: asBuffer(reply.content),
      thumbnail: reply.thumbnail ? asBuffer(reply.thumbnail) : undefined,
      width: reply.width,
      height: reply.height,
    });
  }

  private fail(error: AppError): void {
    this.take()?.reject(error);
  }

  /** The job at work, no longer waited for. */
  private take(): Job | undefined {
    const current = this.current;
    if (!current) return undefined;
    clearTimeout(current.timer);
    this.current = undefined;
    return current.job;
  }

  private idle(): void {
    clearTimeout(this.idleTimer);
    if (!this.worker) return;
    this.idleTimer = setTimeout(() => this.stop(), IDLE_EXIT_MS);
    this.idleTimer.unref();
  }

  private stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.kill('SIGKILL');
    this.fail(unreadable());
  }
}
