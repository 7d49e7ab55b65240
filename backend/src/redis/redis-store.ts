import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Cluster, Redis, ReplyError, type RedisOptions } from 'ioredis';
import { AppError } from '../common/app-error.js';
import type { Env } from '../config/env.js';

/** How long start-up waits for Redis before giving up with an error. */
const CONNECT_TIMEOUT_MS = 5000;
/**
 * A command that gets no answer within this is failed (UNAVAILABLE) rather than left hanging, so a
 * client hears back within about a second even from a Redis that accepts connections but stopped
 * answering (a SIGSTOP, a long script, a saturated link).
 */
const COMMAND_TIMEOUT_MS = 1000;
/** How often the watchdog pings Redis. */
const PING_EVERY_MS = 250;
/**
 * A ping unanswered for this long marks Redis as hung: every command fails at once (UNAVAILABLE)
 * and health says 503 until a ping is answered again, instead of each event waiting its timeout.
 */
const HUNG_AFTER_MS = 750;
/** After Redis refused a write for lack of memory, health says "degraded" for this long. */
const FULL_FOR_MS = 10_000;
/**
 * Every key Flack writes starts with this, so one Redis can hold other data too. The braces are a
 * Redis Cluster hash tag: every key hashes on `flack` alone, so all of Flack's keys share one slot
 * and each script (which touches several keys, some built inside Lua from this prefix) runs on one
 * node. The Socket.IO adapter's stream is named outside it, to land on a master of its own
 * (socket-io-adapter.ts). See docs/scaling.md, "Sentinel and Cluster".
 */
export const KEY_PREFIX = '{flack}:';

/**
 * The store's generation: a random id the first instance writes (SET NX) and every instance reads
 * with each watchdog ping. Missing or different means Redis lost Flack's data (restarted without
 * persistence, FLUSHALL, a failover to an empty replica): what this instance holds from before
 * (sockets in rooms, sessions it trusts) no longer matches the store. See docs/scaling.md.
 */
export const EPOCH_KEY = `${KEY_PREFIX}epoch`;

/** Reconnects forever, backing off to a retry every two seconds. */
const retryStrategy = (attempt: number): number => Math.min(attempt * 100, 2000);

const UNAVAILABLE_MESSAGE = 'Flack cannot reach its database right now. Please try again in a moment.';

/** The answer a client gets while Redis is out of reach. */
export const unavailable = (): AppError => new AppError('UNAVAILABLE', UNAVAILABLE_MESSAGE);

/** The answer while Redis refuses writes because it reached `maxmemory` (reads still work). */
const full = (): AppError =>
  new AppError(
    'UNAVAILABLE',
    'Flack’s database is full, so nothing new can be saved right now. Please try again later.',
  );

/** A connection to a single node or to a master found through Sentinel (both are `Redis`), or to a Cluster. */
export type RedisClient = Redis | Cluster;

/** `host:port` as REDIS_SENTINELS and REDIS_CLUSTER_NODES list them. */
interface HostPort {
  host: string;
  port: number;
}

/** Credentials and TLS for the data nodes (and sentinels) when there is no REDIS_URL to carry them. */
interface RedisAuth {
  username?: string;
  password?: string;
  sentinelPassword?: string;
  tls: boolean;
}

/** Where Flack's Redis is: one node (REDIS_URL), a master found through Sentinel, or a Cluster. */
export type RedisTarget =
  | { url: string }
  | { sentinels: HostPort[]; name: string; auth: RedisAuth }
  | { clusterNodes: HostPort[]; auth: RedisAuth };

const hostPort = (entry: string): HostPort => {
  const at = entry.lastIndexOf(':');
  return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
};

/** The Redis the settings name (validateEnv allows one of the three), or null: everything in memory. */
export function redisTarget(
  env: Pick<
    Env,
    | 'REDIS_URL'
    | 'REDIS_SENTINELS'
    | 'REDIS_SENTINEL_NAME'
    | 'REDIS_SENTINEL_PASSWORD'
    | 'REDIS_CLUSTER_NODES'
    | 'REDIS_USERNAME'
    | 'REDIS_PASSWORD'
    | 'REDIS_TLS'
  >,
): RedisTarget | null {
  if (env.REDIS_URL) return { url: env.REDIS_URL };
  const auth: RedisAuth = {
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
    tls: env.REDIS_TLS,
  };
  if (env.REDIS_SENTINELS.length > 0)
    return { sentinels: env.REDIS_SENTINELS.map(hostPort), name: env.REDIS_SENTINEL_NAME, auth };
  if (env.REDIS_CLUSTER_NODES.length > 0)
    return { clusterNodes: env.REDIS_CLUSTER_NODES.map(hostPort), auth };
  return null;
}

/** The target for logs and errors, without credentials. */
export function describeTarget(target: RedisTarget): string {
  const list = (nodes: HostPort[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  if ('url' in target) return `${redactUrl(target.url)} (REDIS_URL)`;
  if ('sentinels' in target)
    return `master "${target.name}" of the sentinels ${list(target.sentinels)} (REDIS_SENTINELS)`;
  return `the cluster of ${list(target.clusterNodes)} (REDIS_CLUSTER_NODES)`;
}

/**
 * The one place a Redis client is made, for every mode. `commands`: the connection that runs
 * Flack's commands (no offline queue, a command timeout, automatic pipelining); otherwise the
 * adapter's, which queues while Redis is away and never times out (see createAdapterClient).
 */
function createClient(target: RedisTarget, commands: boolean): RedisClient {
  const connectionName = commands ? 'flack' : 'flack-adapter';
  const node: RedisOptions = commands
    ? { connectionName, commandTimeout: COMMAND_TIMEOUT_MS }
    : { connectionName, maxRetriesPerRequest: null };
  const queueing = { enableOfflineQueue: !commands, enableAutoPipelining: commands };
  if ('url' in target)
    return new Redis(target.url, { ...node, ...queueing, retryStrategy, lazyConnect: false });
  const { username, password, sentinelPassword, tls } = target.auth;
  const credentials: RedisOptions = { username, password, ...(tls ? { tls: {} } : {}) };
  if ('sentinels' in target)
    return new Redis({
      ...node,
      ...credentials,
      ...queueing,
      sentinels: target.sentinels,
      name: target.name,
      sentinelPassword,
      ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      retryStrategy,
      lazyConnect: false,
    });
  return new Cluster(target.clusterNodes, {
    ...queueing,
    redisOptions: { ...node, ...credentials },
    clusterRetryStrategy: retryStrategy,
    lazyConnect: false,
  });
}

/** How the store is doing, for `/api/health`. */
export type RedisHealth = 'up' | 'down' | 'hung' | 'full';

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0`, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * A Lua script run by its SHA1, sent in full only when Redis does not know it (after a restart
 * Redis has forgotten every script). Each script runs atomically: no other command interleaves.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    // A Cluster sends a script without keys to any node; one declared key of Flack's slot (unused
    // by the script) sends it to the node that holds every key the script builds from KEY_PREFIX.
    if (keys.length === 0 && client.isCluster) keys = [KEY_PREFIX];
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof ReplyError) || !String((error as Error).message).startsWith('NOSCRIPT'))
        throw error;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

/**
 * The connection to Redis when `REDIS_URL` is set (see RedisModule): the shared store of every
 * repository, the rate limiter and the Socket.IO adapter.
 *
 * Commands fail at once while the connection is down (no offline queue), so a client gets an
 * UNAVAILABLE ack instead of waiting on a request that may never be answered; ioredis keeps
 * reconnecting in the background and service resumes by itself when Redis is back.
 */
export class RedisStore implements OnApplicationShutdown {
  private readonly log = new Logger('Redis');
  /** Identifies this process among the instances sharing the store. */
  readonly instanceId = randomUUID();
  private readonly closeHooks: (() => Promise<void>)[] = [];
  private readonly extraClients: RedisClient[] = [];
  private wasReady = true;
  private closing = false;
  private pingInFlight = false;
  private hung = false;
  private fullAt = -Infinity;
  private readonly watchdog: NodeJS.Timeout;
  /** The generation this instance's state belongs to (EPOCH_KEY). */
  private epoch: string | null = null;
  private resetting = false;
  private readonly dataLostListeners: (() => Promise<void>)[] = [];

  private constructor(
    /**
     * For commands: no offline queue, a command timeout, automatic pipelining. On a Cluster this is
     * a `Cluster` typed as `Redis`: both answer the same commands (routed by key slot) and emit the
     * same connection events; only connection-level members differ (`options`, `monitor`), and
     * `isCluster` tells them apart.
     */
    readonly client: Redis,
    private readonly target: RedisTarget,
  ) {
    // One line per outage, not one per reconnect attempt.
    client.on('error', (error: Error) => {
      if (this.wasReady && !this.closing) this.log.error(`Redis connection lost: ${error.message}`);
      this.wasReady = false;
    });
    client.on('close', () => {
      if (this.wasReady && !this.closing) this.log.error('Redis connection closed; reconnecting');
      this.wasReady = false;
    });
    client.on('ready', () => {
      if (!this.wasReady) this.log.log('Redis connection restored');
      this.wasReady = true;
    });
    this.watchdog = setInterval(() => this.checkResponsive(), PING_EVERY_MS);
    this.watchdog.unref();
  }

  /**
   * One ping at a time, one each tick: a ping left unanswered for HUNG_AFTER_MS marks Redis hung
   * (a connection that is open but silent looks "ready" to ioredis), on a timer of its own so it
   * does not wait for a tick; the next answered ping clears it. A freeze is therefore reported at
   * most PING_EVERY_MS + HUNG_AFTER_MS after it began. The ping reads the epoch, so the same round
   * trip finds out that Redis lost its data.
   */
  private checkResponsive(): void {
    if (this.pingInFlight || this.client.status !== 'ready') return;
    this.pingInFlight = true;
    const overdue = setTimeout(() => {
      if (this.hung || this.client.status !== 'ready') return;
      this.hung = true;
      this.log.error(`Redis stopped answering (no reply to a ping for ${HUNG_AFTER_MS} ms)`);
    }, HUNG_AFTER_MS);
    overdue.unref();
    this.client.get(EPOCH_KEY).then(
      (epoch) => {
        this.pingInFlight = false;
        clearTimeout(overdue);
        if (this.hung) this.log.log('Redis is answering again');
        this.hung = false;
        if (epoch !== this.epoch && this.epoch !== null) void this.dataLost(epoch);
      },
      () => {
        // Timed out or refused: hung stays as the timer left it; the next tick pings again.
        this.pingInFlight = false;
        clearTimeout(overdue);
      },
    );
  }

  /**
   * Connects (a URL: to a single node), or fails within a few seconds with an error that names the
   * (password-free) target: a server that cannot reach its store must not start.
   */
  static async connect(to: string | RedisTarget): Promise<RedisStore> {
    const target = typeof to === 'string' ? { url: to } : to;
    const client = createClient(target, true);
    let lastError: Error | undefined;
    const onError = (error: Error) => (lastError = error);
    client.on('error', onError);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out')), CONNECT_TIMEOUT_MS);
        client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } catch (error) {
      client.disconnect();
      const reason = lastError?.message || (error as Error).message;
      throw new Error(`Cannot reach Redis at ${describeTarget(target)}: ${reason}`);
    } finally {
      client.off('error', onError);
    }
    const store = new RedisStore(client as Redis, target);
    store.epoch = await store.adoptEpoch();
    store.log.log(`Connected to Redis at ${describeTarget(target)} as instance ${store.instanceId}`);
    return store;
  }

  /** The store's epoch: the one there, or a new one if there is none (the first instance, or after a loss). */
  private async adoptEpoch(): Promise<string> {
    await this.client.set(EPOCH_KEY, randomUUID(), 'NX');
    const epoch = await this.client.get(EPOCH_KEY);
    if (epoch === null) throw new Error('Redis did not keep the epoch key');
    return epoch;
  }

  /**
   * Called (in registration order) when Redis lost Flack's data, once this instance has adopted
   * the store's new epoch: every feature drops what it holds from before, as after a restart.
   */
  onDataLost(listener: () => Promise<void>): void {
    this.dataLostListeners.push(listener);
  }

  private async dataLost(seen: string | null): Promise<void> {
    if (this.resetting) return;
    this.resetting = true;
    try {
      this.log.error(
        seen === null
          ? "Redis lost Flack's data (its epoch key is gone): treating it as a restart"
          : "Redis's data was reset by another instance (a new epoch): treating it as a restart",
      );
      this.epoch = await this.adoptEpoch();
      for (const listener of this.dataLostListeners) {
        await listener().catch((error: unknown) => this.log.error(`After the data loss: ${String(error)}`));
      }
    } catch (error) {
      // Redis went away meanwhile: the epoch is still the old one, so the next ping tries again.
      this.log.warn(`Could not adopt a new epoch yet: ${String(error)}`);
    } finally {
      this.resetting = false;
    }
  }

  /** True while commands can be sent and are answered; `/api/health` reports unhealthy otherwise. */
  get available(): boolean {
    return this.client.status === 'ready' && !this.hung;
  }

  /** Down or hung: 503, the balancer skips this instance. Full: still serving reads, "degraded". */
  get health(): RedisHealth {
    if (this.client.status !== 'ready') return 'down';
    if (this.hung) return 'hung';
    return Date.now() - this.fullAt < FULL_FOR_MS ? 'full' : 'up';
  }

  /**
   * A second connection for the Socket.IO adapter, which blocks on stream reads and must not share
   * the command timeout. While Redis is away its commands wait in the queue until it is back, and
   * none fails: the adapter leaves some of its writes unhandled (a failed one would crash the
   * process), and its stream reader would retry a failing read in a busy loop. Broadcasts queued
   * meanwhile reach the other instances once Redis returns.
   */
  createAdapterClient(): RedisClient {
    const client = createClient(this.target, false);
    // The adapter reports its own failures; the command connection logs the outage once.
    client.on('error', () => {});
    this.extraClients.push(client);
    return client;
  }

  /**
   * Runs Redis commands; a failure to reach Redis becomes UNAVAILABLE, which the ack filter and
   * the HTTP filter pass on to the client. An error Redis itself answered (a bug) stays as it is.
   */
  async run<T>(commands: (client: Redis) => Promise<T>): Promise<T> {
    // Hung: fail now rather than make every event wait its own timeout.
    if (this.hung) throw unavailable();
    try {
      return await commands(this.client);
    } catch (error) {
      if (isOutOfMemory(error)) {
        this.fullAt = Date.now();
        throw full();
      }
      throw this.isOutage(error) ? unavailable() : error;
    }
  }

  /** Redis out of reach (or still loading its data), as opposed to a bug in a script or in Flack. */
  private isOutage(error: unknown): boolean {
    if (!this.available) return true;
    const message = error instanceof Error ? error.message : String(error);
    // LOADING: a node still reading its data; CLUSTERDOWN, TRYAGAIN, MASTERDOWN, READONLY: a failover
    // in progress (a Cluster resharding or electing, a master Sentinel has just demoted).
    if (error instanceof ReplyError)
      return /^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY)\b/.test(message);
    return /Connection is closed|Stream isn't writeable|Command timed out|ECONN|EPIPE|ETIMEDOUT|MaxRetriesPerRequest|Cluster isn't ready|Failed to refresh slots|Too many Cluster redirections|All sentinels are unreachable/i.test(
      message,
    );
  }

  /** Work to do while the connection is still open when the app shuts down (e.g. leave presence). */
  beforeClose(hook: () => Promise<void>): void {
    this.closeHooks.push(hook);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.watchdog);
    for (const hook of this.closeHooks) {
      await hook().catch((error: unknown) => this.log.warn(`Shutdown step failed: ${String(error)}`));
    }
    this.closing = true;
    for (const client of [...this.extraClients, this.client]) {
      await client.quit().catch(() => client.disconnect());
    }
  }
}

/** Redis at `maxmemory` with `noeviction` refuses writes with `OOM ...` (also from inside a script). */
function isOutOfMemory(error: unknown): boolean {
  return error instanceof ReplyError && /\bOOM\b/.test(String((error as Error).message));
}

/** A hash as HGETALL answers it: flat `[field, value, ...]` from a script, an object from ioredis. */
export function hashFields(hash: unknown): Record<string, string> | undefined {
  if (Array.isArray(hash)) {
    const fields: Record<string, string> = {};
    for (let i = 0; i + 1 < hash.length; i += 2) fields[String(hash[i])] = String(hash[i + 1]);
    return fields;
  }
  return hash && typeof hash === 'object' ? (hash as Record<string, string>) : undefined;
}
