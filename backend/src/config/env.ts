import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import { normalizeOrigin } from '../common/http/origin.js';

const splitList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/** Every setting Flack reads from the environment, with its default. The README lists them. */
export class Env {
  /** 0 picks a free port (tests). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface to bind; unset binds every interface. */
  @IsOptional()
  @IsString()
  HOST?: string;

  /**
   * The origins people open Flack at (`https://chat.example.org`), comma-separated: pages from
   * them may open a socket and make REST calls that change something. Pages on a loopback host
   * (`localhost`, `127.0.0.1`, `[::1]`) at the port the server listens on are always allowed, so
   * `npm start` and the tests need no setting (see `common/http/origin.ts`).
   */
  @Transform(({ value }) => {
    const list = splitList({ value });
    return Array.isArray(list) ? list.map(normalizeOrigin) : list;
  })
  @Matches(/^https?:\/\/[^/?#\s*]+$/, {
    each: true,
    message:
      'ALLOWED_ORIGINS must list origins such as https://chat.example.org (scheme, host, port; no path, no wildcard)',
  })
  ALLOWED_ORIGINS: string[] = [];

  /** How long a name stays reserved for its session after the last tab disconnects. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NAME_RESERVATION_SECONDS = 7 * 24 * 60 * 60;

  /** Messages per second a user may send, sustained. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MESSAGE_RATE_PER_SECOND = 5;

  /** Messages a user may send at once before the sustained rate applies. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MESSAGE_BURST = 20;

  /** Channels a user may create per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHANNEL_CREATES_PER_MINUTE = 10;

  /** Joins and leaves together a user may make per minute (each one tells every member). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  CHANNEL_JOINS_PER_MINUTE = 60;

  /** History requests (`channel:history`, `channel:members`) a user may make per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  HISTORY_REQUESTS_PER_MINUTE = 120;

  /** Display names one IP address may claim per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  NAME_CLAIMS_PER_MINUTE = 20;

  /**
   * Searches (`message:search`) a user may make per minute. Each reads the history of every channel
   * they are in; the app searches as one types, once typing pauses.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  SEARCHES_PER_MINUTE = 60;

  /** Topic changes a user may make per minute (each one is announced to everyone who sees the channel). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  TOPIC_CHANGES_PER_MINUTE = 10;

  /**
   * Channels every server has, comma-separated (`general,random`), created at start-up when missing
   * and never removed for being empty; a newcomer joins them and first opens the first one. Empty:
   * none.
   */
  @Transform(splitList)
  @IsString({ each: true })
  DEFAULT_CHANNELS: string[] = ['general'];

  /** Channels on the server at most. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MAX_CHANNELS = 1000;

  /** Channels one user may have created (and that still exist) at most. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  MAX_CHANNELS_PER_USER = 20;

  /** Largest file one upload may be, in bytes (`POST /api/files`): 413 TOO_LARGE above. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FILE_MAX_BYTES = 10 * 1024 * 1024;

  /** Bytes of files (with their thumbnails) stored on the server at most; QUOTA_EXCEEDED above. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FILES_MAX_TOTAL_BYTES = 256 * 1024 * 1024;

  /** Bytes of files one person may have stored at once (attached or not); QUOTA_EXCEEDED above. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FILES_MAX_BYTES_PER_USER = 50 * 1024 * 1024;

  /** How long an upload waits for a message to attach it before it is removed. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FILE_UNREFERENCED_TTL_MS = 5 * 60 * 1000;

  /** Uploads a user may make per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  FILE_UPLOADS_PER_MINUTE = 30;

  /** How long a user whose last tab closed still counts as online (a reload does not flicker). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  PRESENCE_GRACE_MS = 5000;

  /** How long "typing" lasts without being repeated. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  TYPING_TIMEOUT_MS = 6000;

  /**
   * Redis for running several instances (`redis://[:password@]host:6379[/db]`); unset keeps
   * everything in this process's memory.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /**
   * Redis through Sentinel instead of REDIS_URL: the sentinels (`host:port`, comma-separated); the
   * master is asked of them by REDIS_SENTINEL_NAME, and found again after a failover.
   */
  @Transform(splitList)
  @Matches(/^[^\s:,]+:\d{1,5}$/, { each: true, message: 'REDIS_SENTINELS must list host:port pairs' })
  REDIS_SENTINELS: string[] = [];

  /** The master group the sentinels watch (`sentinel monitor <name> ...`). */
  @IsString()
  REDIS_SENTINEL_NAME = 'mymaster';

  /** The sentinels' own password (`requirepass` of the sentinels), if they have one. */
  @IsOptional()
  @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  /** Redis Cluster instead of REDIS_URL: some of its nodes (`host:port`, comma-separated); the rest are discovered. */
  @Transform(splitList)
  @Matches(/^[^\s:,]+:\d{1,5}$/, { each: true, message: 'REDIS_CLUSTER_NODES must list host:port pairs' })
  REDIS_CLUSTER_NODES: string[] = [];

  /** With REDIS_SENTINELS or REDIS_CLUSTER_NODES: the ACL user of the data nodes (REDIS_URL carries its own). */
  @IsOptional()
  @IsString()
  REDIS_USERNAME?: string;

  /** With REDIS_SENTINELS or REDIS_CLUSTER_NODES: the data nodes' password (REDIS_URL carries its own). */
  @IsOptional()
  @IsString()
  REDIS_PASSWORD?: string;

  /** With REDIS_SENTINELS or REDIS_CLUSTER_NODES: `true` connects to the nodes (and sentinels) over TLS. */
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  REDIS_TLS = false;

  /**
   * Behind a load balancer: which proxies to trust for the client address (Express's `trust proxy`:
   * a hop count such as `1`, or addresses such as `loopback, uniquelocal`). Per-address rate limits
   * need it, or every client counts as the proxy.
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Folder with the built Angular app; defaults to frontend/dist/browser in this repository. */
  @IsOptional()
  @IsString()
  STATIC_DIR?: string;
}

/** `ConfigModule.forRoot({ validate })`: fails start-up with every problem listed. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false });
  const redisModes = [env.REDIS_URL, env.REDIS_SENTINELS.length, env.REDIS_CLUSTER_NODES.length].filter(
    Boolean,
  );
  if (errors.length > 0 || redisModes.length > 1) {
    const problems = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    if (redisModes.length > 1)
      problems.push('Set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES');
    throw new Error(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
  return env;
}
