import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  cleanFileName,
  isInlineImageType,
  LIMITS,
  type FileInfo,
  type FileLimits,
  type User,
} from '@flack/contract';
import { fileTypeFromBuffer } from 'file-type';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ChannelsService } from '../channels/channels.service.js';
import { AppError } from '../common/app-error.js';
import type { Env } from '../config/env.js';
import type { AppEvents } from '../events/app-events.js';
import { EventBus } from '../events/event-bus.js';
import { rateLimiterStore } from '../redis/rate-limiter-store.js';
import { RedisStore } from '../redis/redis-store.js';
import {
  FilesRepository,
  type FileBytes,
  type FileRecord,
  type FileVariant,
  type Quotas,
} from './files.repository.js';
import { ImageCleaner } from './images.js';
import { declaredLength, formatBytes, readBody, tooLarge } from './upload-body.js';

/**
 * The type is detected from the first MiB: the image signatures are in the first bytes, and so are
 * nearly all others (a ZIP's first entries name an OOXML document), while some detectors scan as
 * far as they are given (10 MB of zeros took 15 ms of the event loop).
 */
const DETECTION_BYTES = 1024 * 1024;

/** A chunked upload (no Content-Length) reserves quota in steps of this many bytes as it arrives. */
export const RESERVATION_STEP_BYTES = 1024 * 1024;

const notFound = () => new AppError('NOT_FOUND', 'No such file (or it is not shared with you).');

/** A file as it is served: who may see it was checked, these are its bytes. */
export interface OpenedFile {
  info: FileInfo;
  variant: FileVariant;
  bytes: FileBytes;
}

/**
 * The rules for files: who may upload (a session, within the size, the quotas and the rate), what
 * a file is (detected from its bytes; images cleaned of metadata), who may fetch it (its uploader
 * until a message holds it, then that channel's members), and when it goes (unreferenced after
 * FILE_UNREFERENCED_TTL_MS, with its message when deleted or evicted, with its channel).
 */
@Injectable()
export class FilesService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(FilesService.name);
  private readonly maxFileBytes: number;
  private readonly quotas: Quotas;
  private readonly ttlMs: number;
  private readonly uploads: RateLimiterAbstract;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly files: FilesRepository,
    private readonly channels: ChannelsService,
    private readonly images: ImageCleaner,
    events: EventBus,
    config: ConfigService<Env, true>,
    @Inject(RedisStore) redis: RedisStore | null,
  ) {
    this.maxFileBytes = config.get('FILE_MAX_BYTES', { infer: true });
    this.quotas = {
      perUser: config.get('FILES_MAX_BYTES_PER_USER', { infer: true }),
      total: config.get('FILES_MAX_TOTAL_BYTES', { infer: true }),
    };
    this.ttlMs = config.get('FILE_UNREFERENCED_TTL_MS', { infer: true });
    this.uploads = rateLimiterStore(redis)({
      keyPrefix: 'file-upload',
      points: config.get('FILE_UPLOADS_PER_MINUTE', { infer: true }),
      duration: 60,
    });
    events.on('message.stored', (stored) => this.onStored(stored));
    events.on('message.deleted', ({ message }) => this.removeMessageFiles(message.channel, message.seq));
    events.on('channel.removed', ({ channelId }) => this.removeChannelFiles(channelId));
    events.on('user.released', ({ userId }) => this.forgetOwner(userId));
  }

  onModuleInit(): void {
    // Often enough that an upload outlives its time by at most half of it.
    const every = Math.max(50, Math.min(this.ttlMs / 2, 30_000));
    this.sweepTimer = setInterval(() => void this.removeExpired().catch(() => undefined), every);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /**
   * Stores the request body as a file of `user`'s, streamed: a declared length over the limit is
   * refused before a byte is read, a body that grows past it is cut off there, and the quota is
   * reserved before the bytes are taken (a chunked body's in RESERVATION_STEP_BYTES steps as it
   * arrives), then settled to the bytes actually stored; any failure gives the reservation back.
   */
  async upload(user: User, request: IncomingMessage, rawName: string | undefined): Promise<FileInfo> {
    await this.consumeUpload(user.id);
    const declared = declaredLength(request);
    if (declared !== undefined && declared > this.maxFileBytes) throw tooLarge(this.maxFileBytes);
    let reserved = 0;
    const reserve = async (bytes: number) => {
      const problem = await this.files.reserve(user.id, bytes, this.quotas);
      if (problem) throw this.quotaFull(problem);
      reserved += bytes;
    };
    /** A chunked body reserves a step ahead, or (when the quota has no step left) just what came. */
    const grow = async (received: number) => {
      const ahead = Math.min(this.maxFileBytes, received + RESERVATION_STEP_BYTES) - reserved;
      if ((await this.files.reserve(user.id, ahead, this.quotas)) === null) reserved += ahead;
      else await reserve(received - reserved);
    };
    try {
      if (declared !== undefined) await reserve(declared);
      const body = await readBody(
        request,
        this.maxFileBytes,
        (received) => (received > reserved ? grow(received) : undefined),
        declared,
      );
      const { info, content, thumbnail } = await this.describe(body, rawName);
      const bytes = content.length + (thumbnail?.length ?? 0);
      if (bytes > reserved) await reserve(bytes - reserved);
      else if (bytes < reserved) {
        await this.files.release(user.id, reserved - bytes);
        reserved = bytes;
      }
      const record: FileRecord = { info, owner: user.id, bytes, expiresAt: Date.now() + this.ttlMs };
      await this.files.save(record, content, thumbnail);
      return info;
    } catch (error) {
      if (reserved > 0) await this.files.release(user.id, reserved).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The file (or its thumbnail) if `user` may see it: its uploader before a message is stored with
   * it, the members of its channel after. Anyone else, and no session at all, gets NOT_FOUND, the
   * same answer as for an id that does not exist.
   */
  async open(user: User | undefined, id: string, variant: FileVariant): Promise<OpenedFile> {
    const record = await this.mayOpen(user, id);
    if (!record) throw notFound();
    // Images no larger than a thumbnail are their own thumbnail.
    const bytes =
      (variant === 'thumbnail' ? await this.files.read(id, 'thumbnail') : undefined) ??
      (record.info.image || variant === 'content' ? await this.files.read(id, 'content') : undefined);
    if (!bytes) throw notFound();
    return { info: record.info, variant, bytes };
  }

  /** The file's record if `user` may see it (see `open`), without reading its bytes. */
  async mayOpen(user: User | undefined, id: string): Promise<FileRecord | undefined> {
    if (!user) return undefined;
    const record = await this.files.find(id);
    if (!record) return undefined;
    if (record.seq === undefined || record.channel === undefined) {
      return record.owner === user.id ? record : undefined;
    }
    try {
      await this.channels.requireMembership(user.id, record.channel);
      return record;
    } catch (error) {
      // Not (or no longer) a member, or the channel is gone: not theirs. An outage stays an outage.
      if (error instanceof AppError && (error.code === 'NOT_A_MEMBER' || error.code === 'NOT_FOUND')) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * For `message:send`: the files a message of `channel` with `clientId` carries, claimed for it
   * (all or none). Each must be the author's own upload, not attached to another message; a retry
   * of the same message claims them again. They are attached once the message is stored
   * (`message.stored`), and expire as unattached uploads do if it never is.
   */
  async claim(owner: string, channel: string, clientId: string, ids: string[]): Promise<FileInfo[]> {
    if (ids.length > LIMITS.filesPerMessage) {
      throw new AppError('INVALID', `A message can carry at most ${LIMITS.filesPerMessage} files.`);
    }
    const answer = await this.files.claim(owner, ids, channel, clientId, Date.now() + this.ttlMs);
    if ('problem' in answer) {
      throw answer.problem.reason === 'attached'
        ? new AppError('INVALID', 'One of the files is already attached to another message. Upload it again.')
        : new AppError(
            'NOT_FOUND',
            'One of the files is not there any more (an upload not sent within a few minutes is removed). Upload it again.',
          );
    }
    const byId = new Map(answer.files.map((record) => [record.info.id, record.info]));
    return ids.map((id) => byId.get(id)!);
  }

  /** Reserved and stored bytes, the user's and everyone's (tests and health figures). */
  /** The limits a person's next upload meets, and what they have stored. */
  async limitsFor(owner: string): Promise<FileLimits> {
    const { user } = await this.files.usage(owner);
    return {
      maxFileBytes: this.maxFileBytes,
      filesPerMessage: LIMITS.filesPerMessage,
      quotaBytes: this.quotas.perUser,
      usedBytes: user,
    };
  }

  usage(owner: string): Promise<{ user: number; total: number }> {
    return this.files.usage(owner);
  }

  /** Uploads no message took in time go, and give their bytes back. */
  async removeExpired(now = Date.now()): Promise<number> {
    return this.files.remove(await this.files.expired(now));
  }

  /**
   * Attaches the new message's files, and removes those of the message it pushed out of the
   * history. Nothing to wait for (no promise) when neither carried files, as most messages.
   */
  private onStored({ message, evictedFiles }: AppEvents['message.stored']): Promise<void> | undefined {
    const { channel, seq, files } = message;
    if (evictedFiles) {
      // Up to its seq, so any an earlier eviction missed go too; not waited for, so a send costs
      // nothing more (and a failure is only logged: the channel's removal takes them too).
      void this.files
        .idsUpTo(channel, seq - LIMITS.historySize)
        .then((ids) => this.files.remove(ids))
        .catch((error: unknown) => this.log.warn(`Evicting files failed: ${String(error)}`));
    }
    if (!files?.length) return undefined;
    return this.files.attach(
      channel,
      files.map((file) => file.id),
      seq,
    );
  }

  private async removeMessageFiles(channel: string, seq: number): Promise<void> {
    await this.files.remove(await this.files.idsOfMessage(channel, seq));
  }

  private async removeChannelFiles(channel: string): Promise<void> {
    await this.files.remove(await this.files.idsOfChannel(channel));
  }

  /** A released name's uploads that no message holds go; attached ones stay with their messages. */
  private async forgetOwner(owner: string): Promise<void> {
    await this.files.remove(await this.files.unattachedOf(owner));
    await this.files.forgetOwner(owner);
    await this.uploads.delete(owner);
  }

  /** What the bytes are, whatever the name or the request said; inline images are cleaned. */
  private async describe(
    body: Buffer,
    rawName: string | undefined,
  ): Promise<{ info: FileInfo; content: Buffer; thumbnail?: Buffer }> {
    const id = randomUUID();
    const name = cleanFileName(rawName ?? '');
    const detected =
      body.length > 0 ? await fileTypeFromBuffer(body.subarray(0, DETECTION_BYTES)) : undefined;
    const type = detected?.mime ?? 'application/octet-stream';
    if (!isInlineImageType(type)) return { info: { id, name, type, size: body.length }, content: body };
    const image = await this.images.clean(body, type);
    return {
      info: {
        id,
        name,
        type,
        size: image.content.length,
        image: { width: image.width, height: image.height },
      },
      content: image.content,
      thumbnail: image.thumbnail,
    };
  }

  private quotaFull(problem: 'user' | 'total'): AppError {
    return problem === 'user'
      ? new AppError(
          'QUOTA_EXCEEDED',
          `Your files would take more than your ${formatBytes(this.quotas.perUser)}. Files free up when their messages are deleted or scroll out of the history.`,
        )
      : new AppError(
          'QUOTA_EXCEEDED',
          'The server has no room for more files right now. Please try again later.',
        );
  }

  private async consumeUpload(userId: string): Promise<void> {
    try {
      await this.uploads.consume(userId);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
      throw new AppError(
        'RATE_LIMITED',
        `You are uploading files too fast. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
        { retryAfterMs },
      );
    }
  }
}
