import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { PresenceChange, User } from '@flack/contract';
import { Subject } from 'rxjs';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { HEARTBEAT_MS } from '../sessions/connections.service.js';
import { PresenceRepository, type PresenceUpdate } from './presence.repository.js';

/** An instance silent this long (five heartbeats, as for names) is taken for dead, its users with it. */
export const INSTANCE_TTL_MS = 5 * HEARTBEAT_MS;
/** Updates made here are sent to the other instances together, at most this often. */
const PUBLISH_DELAY_MS = 50;
/** How long the seq of someone who went offline is kept, against news of them arriving late. */
const SEQ_MEMORY_MS = 60_000;

/**
 * Who is online. A user with several tabs (on any instance) counts once, and goes offline only
 * when the last tab has been closed for PRESENCE_GRACE_MS, so a page reload does not flicker.
 *
 * Only changes move: the instance whose write made one (a first claim anywhere, a last release, a
 * dead instance taken over) publishes it once to the others (`published`, sent through the
 * Socket.IO adapter), and every instance applies it to its own copy of the online list and tells
 * its own clients (`changed`). The list is read in full only at start-up, after an outage or a
 * reset of the store; a heartbeat otherwise costs one write that says this instance is alive.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(PresenceService.name);
  private readonly graceMs: number;
  private readonly changes = new Subject<PresenceChange>();
  private readonly outbound = new Subject<PresenceUpdate[]>();
  /** Everyone online, as this instance knows it; null until read. */
  private known: Map<string, User> | null = null;
  /** Updates up to this seq are in the last full read. */
  private floor = 0;
  /** Per user, the seq of the latest update applied and when: late news never undoes newer. */
  private readonly latest = new Map<string, { seq: number; at: number }>();
  /** Every update up to this seq has arrived here (or is in the last full read). */
  private contiguous = 0;
  /** Seqs arrived above `contiguous`, waiting for those before them. */
  private readonly ahead = new Set<number>();
  /** The store's seq at the last beat: by the next, every update up to it has arrived, or one was lost. */
  private expected = 0;
  /** Updates that arrived while a full read was under way, applied again on top of it. */
  private arrivedDuringRead: PresenceUpdate[] | null = null;
  private reading?: Promise<void>;
  /** The store may disagree with this instance about whom it claims: restate at the next beat. */
  private outOfSync = true;
  private beating = false;
  private beats = 0;
  /** Users whose last tab here closed: released when the grace period is over, unless back. */
  private readonly grace = new Map<string, { user: User; timer: NodeJS.Timeout }>();
  /** Bumped when the store is reset; the generation each user connected here in. */
  private generation = 0;
  private readonly connectedIn = new Map<string, number>();
  private unpublished: PresenceUpdate[] = [];
  private publishTimer?: NodeJS.Timeout;

  /** Changes this instance tells its own clients about (every instance sees every change once). */
  readonly changed = this.changes.asObservable();
  /** Updates made here, for the other instances (they hand them to `receive`). */
  readonly published = this.outbound.asObservable();

  constructor(
    private readonly presence: PresenceRepository,
    events: EventBus,
    config: ConfigService<Env, true>,
  ) {
    this.graceMs = config.get('PRESENCE_GRACE_MS', { infer: true });
    events.on('user.connected', ({ user }) => this.connected(user));
    events.on('user.disconnected', ({ user }) => this.disconnected(user));
    events.on('connections.heartbeat', ({ users }) => this.beat(users));
    events.on('user.released', ({ userId }) => {
      this.endGrace(userId);
      return this.write(() => this.presence.remove(userId));
    });
    // The store forgot everything: like a start-up, this instance restates and reads again.
    events.on('store.reset', () => {
      // Who was here belongs to a world that is gone: no grace period brings them back.
      this.generation++;
      for (const { timer } of this.grace.values()) clearTimeout(timer);
      this.grace.clear();
      this.known = null;
      this.floor = this.contiguous = this.expected = 0;
      this.ahead.clear();
      this.latest.clear();
      this.outOfSync = true;
    });
  }

  /** Everyone online (or within their grace period), by name. */
  async online(): Promise<User[]> {
    if (!this.known) await this.read();
    return [...(this.known?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Updates another instance published. */
  receive(updates: PresenceUpdate[]): void {
    for (const update of updates) this.apply(update);
  }

  async onModuleInit(): Promise<void> {
    await this.beat([]);
  }

  onModuleDestroy(): void {
    clearTimeout(this.publishTimer);
    for (const { timer } of this.grace.values()) clearTimeout(timer);
    this.changes.complete();
    this.outbound.complete();
  }

  private async connected(user: User): Promise<void> {
    this.connectedIn.set(user.id, this.generation);
    // Back within the grace period: this instance still claims them, nothing changed.
    if (this.endGrace(user.id)) return;
    await this.write(() => this.presence.claim(user));
  }

  private async disconnected(user: User): Promise<void> {
    this.endGrace(user.id);
    const generation = this.connectedIn.get(user.id);
    this.connectedIn.delete(user.id);
    // Dropped by a reset of the store: they claim their name again, under a new id.
    if (generation !== this.generation) return this.write(() => this.presence.release(user.id));
    const timer = setTimeout(() => {
      this.grace.delete(user.id);
      void this.write(() => this.presence.release(user.id));
    }, this.graceMs);
    timer.unref();
    this.grace.set(user.id, { user, timer });
  }

  private endGrace(userId: string): boolean {
    const waiting = this.grace.get(userId);
    if (!waiting) return false;
    clearTimeout(waiting.timer);
    this.grace.delete(userId);
    return true;
  }

  /**
   * Says this instance is alive and takes over the dead; restates whom it claims and reads the
   * list again when the store may disagree. One beat at a time: a slow store must not pile them up.
   */
  private async beat(connected: User[]): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      const now = Date.now();
      if (this.outOfSync) {
        this.outOfSync = false;
        const claimed = new Map(connected.map((user) => [user.id, user]));
        for (const { user } of this.grace.values()) claimed.set(user.id, user);
        this.publish(await this.presence.restate([...claimed.values()], now + INSTANCE_TTL_MS));
        await this.read();
      }
      const { known, dead, seq } = await this.presence.beat(now, now + INSTANCE_TTL_MS);
      if (!known) this.outOfSync = true;
      for (const instanceId of dead) this.publish(await this.presence.reap(instanceId, now));
      // An update that never arrived: its instance died before publishing it, or the adapter lost it.
      if (this.contiguous < this.expected) {
        this.log.debug(`presence update ${this.contiguous + 1} missed; reading the list again`);
        await this.read();
      }
      this.expected = seq;
      if (++this.beats % 15 === 0) this.forgetOldSeqs(now);
    } catch (error) {
      this.outOfSync = true;
      this.log.debug(`presence beat failed, trying again in ${HEARTBEAT_MS} ms: ${String(error)}`);
    } finally {
      this.beating = false;
    }
  }

  /** A write that may make a change; if it fails, the next beat puts the store right. */
  private async write(step: () => Promise<PresenceUpdate | null>): Promise<void> {
    try {
      const update = await step();
      if (update) this.publish([update]);
    } catch (error) {
      this.outOfSync = true;
      this.log.debug(`presence update deferred to the next heartbeat: ${String(error)}`);
    }
  }

  /** Updates made here: applied here at once, and sent to the other instances together. */
  private publish(updates: PresenceUpdate[]): void {
    for (const update of updates) this.apply(update);
    if (!this.presence.shared || updates.length === 0) return;
    this.unpublished.push(...updates);
    this.publishTimer ??= setTimeout(() => {
      this.publishTimer = undefined;
      const batch = this.unpublished;
      this.unpublished = [];
      this.outbound.next(batch);
    }, PUBLISH_DELAY_MS);
  }

  private apply(update: PresenceUpdate): void {
    const { user, online, seq } = update;
    this.arrivedDuringRead?.push(update);
    // Every seq up to `contiguous` has been applied (or read): one of them again is a duplicate.
    const seen = seq <= this.contiguous || this.ahead.has(seq);
    this.arrived(seq);
    const latest = this.latest.get(user.id);
    if (seen || seq <= this.floor || (latest && latest.seq >= seq)) return;
    // Kept only while an older update may still come (a gap below it): see arrived().
    if (seq > this.contiguous) this.latest.set(user.id, { seq, at: Date.now() });
    else this.latest.delete(user.id);
    // Not read yet: the read to come includes it.
    if (!this.known) return;
    const was = this.known.has(user.id);
    if (online) this.known.set(user.id, user);
    else this.known.delete(user.id);
    if (was !== online) this.changes.next({ user, online });
  }

  private arrived(seq: number): void {
    if (seq <= this.contiguous) return;
    this.ahead.add(seq);
    const before = this.contiguous;
    while (this.ahead.delete(this.contiguous + 1)) this.contiguous++;
    if (this.contiguous > before) this.forgetSettledSeqs();
  }

  /**
   * Nothing older can come for an update at or below `contiguous` (every seq below it arrived, or a
   * full read covered it), so its seq need not be kept: a released user then leaves no entry here.
   */
  private forgetSettledSeqs(): void {
    for (const [id, latest] of this.latest) if (latest.seq <= this.contiguous) this.latest.delete(id);
  }

  /** The full read, one at a time; what changed meanwhile is applied on top of it. */
  private read(): Promise<void> {
    this.reading ??= (async () => {
      this.arrivedDuringRead = [];
      try {
        const { users, seq } = await this.presence.snapshot();
        const next = new Map(users.map((user) => [user.id, user]));
        const newest = new Map<string, PresenceUpdate>();
        for (const update of this.arrivedDuringRead)
          if (update.seq > seq && update.seq > (newest.get(update.user.id)?.seq ?? 0))
            newest.set(update.user.id, update);
        for (const { user, online } of newest.values())
          if (online) next.set(user.id, user);
          else next.delete(user.id);
        const before = this.known;
        this.known = next;
        this.floor = seq;
        if (seq > this.contiguous) {
          this.contiguous = seq;
          for (const above of this.ahead) if (above <= seq) this.ahead.delete(above);
          while (this.ahead.delete(this.contiguous + 1)) this.contiguous++;
          this.forgetSettledSeqs();
        }
        // The first read only learns who is there already; a later one tells what was missed.
        if (!before) return;
        for (const [id, user] of next) if (!before.has(id)) this.changes.next({ user, online: true });
        for (const [id, user] of before) if (!next.has(id)) this.changes.next({ user, online: false });
      } finally {
        this.arrivedDuringRead = null;
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  private forgetOldSeqs(now: number): void {
    for (const [id, { at }] of this.latest)
      if (at < now - SEQ_MEMORY_MS && !this.known?.has(id)) this.latest.delete(id);
  }
}
