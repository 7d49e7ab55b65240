import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LIMITS, type ClaimNameResponse, type User } from '@flack/contract';
import { hash, randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../common/app-error.js';
import { normalizeName } from '../common/names.js';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { UsersRepository, type UserRecord } from './users.repository.js';
import { toUser } from './users.service.js';

const DISPLAY_NAME_RULES = { label: 'Display name', field: 'name', maxLength: LIMITS.displayNameMaxLength };

/** How often released reservations are swept away. */
const SWEEP_INTERVAL_MS = 60_000;

/** 32 random bytes: far beyond guessing, and opaque (it encodes nothing about the user). */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function hashToken(token: string): string {
  // One-shot: a third of createHash's cost, and every handshake hashes the token it is given.
  return hash('sha256', token, 'base64url');
}

/**
 * Sessions: who holds which name, for how long, and proving it with a token. A name is held while
 * a socket of its session is connected anywhere and for NAME_RESERVATION_SECONDS after; then, or on
 * "Forget me", it is released: `user.released` tells every feature to forget the user.
 */
@Injectable()
export class SessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionsService.name);
  private readonly reservationMs: number;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly users: UsersRepository,
    private readonly events: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.reservationMs = config.get('NAME_RESERVATION_SECONDS', { infer: true }) * 1000;
    events.on('user.connected', ({ user }) => this.users.markConnected(user.id));
    events.on('user.disconnected', ({ user }) => this.users.markDisconnected(user.id, this.reservationEnd()));
    events.on('connections.heartbeat', ({ users }) =>
      this.users.heartbeat(
        users.map((user) => user.id),
        this.reservationEnd(),
      ),
    );
  }

  onModuleInit(): void {
    this.sweepTimer = setInterval(() => void this.releaseExpired().catch(() => undefined), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /** Binds a free display name to a new session. The token is returned once and never stored. */
  async claim(rawName: string): Promise<ClaimNameResponse> {
    const { display, skeleton } = normalizeName(rawName, DISPLAY_NAME_RULES);
    const holder = await this.users.findByNameSkeleton(skeleton);
    if (holder && this.isExpired(holder)) await this.release(holder);
    const token = newToken();
    const record: UserRecord = {
      id: randomUUID(),
      name: display,
      nameSkeleton: skeleton,
      tokenHash: hashToken(token),
      // Reserved from the claim on, so a name claimed but never used is released in time too.
      expiresAt: this.reservationEnd(),
    };
    if (!(await this.users.insertIfNameFree(record))) {
      const taken = await this.users.findByNameSkeleton(skeleton);
      const looksLike = taken && taken.name !== display ? ` (it looks too much like "${taken.name}")` : '';
      throw new AppError('NAME_TAKEN', `The name "${display}" is taken${looksLike}. Please choose another.`);
    }
    this.logger.log(`user ${record.id} claimed a name`);
    const user = toUser(record);
    await this.events.emit('user.claimed', { user });
    return { token, user };
  }

  /** The user a token belongs to, or undefined for a missing, unknown or expired session. */
  async authenticate(token: unknown): Promise<User | undefined> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 256) return undefined;
    const record = await this.users.findByTokenHash(hashToken(token));
    if (!record) return undefined;
    if (this.isExpired(record)) {
      await this.release(record);
      return undefined;
    }
    return toUser(record);
  }

  /** Ends a session for good: the name is free again and nothing of the user is kept. */
  async forget(userId: string): Promise<void> {
    const record = await this.users.findById(userId);
    if (record) await this.release(record);
  }

  /** Releases every name whose reservation ran out. Returns how many. */
  async releaseExpired(now = Date.now()): Promise<number> {
    const expired = await this.users.findExpired(now);
    for (const record of expired) await this.release(record);
    return expired.length;
  }

  private reservationEnd(): number {
    return Date.now() + this.reservationMs;
  }

  private isExpired(record: UserRecord): boolean {
    return record.expiresAt !== null && record.expiresAt <= Date.now();
  }

  /** Every feature forgets the user first; the record goes last, so a failure can be retried. */
  private async release(record: UserRecord): Promise<void> {
    await this.events.emit('user.released', { userId: record.id });
    await this.users.remove(record.id);
  }
}
