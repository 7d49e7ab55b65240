import { Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Channel, ChannelWithHistory } from '@flack/contract';
import { AlertStore, type AlertPlace } from '../core/alert-store';
import { toAppError, type AppError } from '../core/app-error';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore, type SessionSync } from '../core/session-store';
import { SavedSessions } from '../core/storage';
import { byName, compareNames } from '../core/text';
import { channelLabel } from './channel-label';

/**
 * Every channel on the server, which ones this person joined, and which one is open. Fed by the
 * session snapshot after every (re)connect (handed over by shell/connection-coordinator.ts, which
 * also does what a reconnect means for the messages) and by the live channel events in between.
 */
@Injectable({ providedIn: 'root' })
export class ChannelsStore {
  private readonly socket = inject(ChatSocket);
  private readonly session = inject(SessionStore);
  private readonly alerts = inject(AlertStore);
  private readonly saved = inject(SavedSessions);

  private readonly all = signal<readonly Channel[]>([]);
  private readonly joinedSet = signal<ReadonlySet<string>>(new Set());
  private readonly openId = signal<string | null>(null);
  private readonly snapshotSeen = signal(false);
  /** Where the person was last time; handed out once, to the first page that asks after sign-in. */
  private channelToRestore: string | null = null;

  readonly channels = this.all.asReadonly();
  readonly joinedIds = this.joinedSet.asReadonly();
  /** Joined channels, without direct conversations. */
  readonly joined = computed(() =>
    this.all().filter((channel) => !channel.dm && this.joinedSet().has(channel.id)),
  );
  readonly notJoined = computed(() =>
    this.all().filter((channel) => !channel.dm && !this.joinedSet().has(channel.id)),
  );
  /** This person's direct conversations, in the order of the other person's name. */
  readonly directMessages = computed(() => {
    const own = this.session.user()?.id ?? null;
    return this.all()
      .filter((channel) => channel.dm && this.joinedSet().has(channel.id))
      .map((channel) => ({ channel, label: channelLabel(channel, own) }))
      .sort((a, b) => compareNames(a.label, b.label) || byName(a.channel, b.channel))
      .map(({ channel }) => channel);
  });
  /** False until the first snapshot of this sign-in arrived: an empty list means "loading", not "none". */
  readonly loaded = this.snapshotSeen.asReadonly();
  readonly activeId = this.openId.asReadonly();
  readonly active = computed(() => this.all().find((channel) => channel.id === this.openId()) ?? null);

  constructor() {
    this.session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => this.reset());
    this.socket
      .on('channel:created')
      .pipe(takeUntilDestroyed())
      .subscribe((channel) => this.upsert(channel));
    this.socket
      .on('channel:joined')
      .pipe(takeUntilDestroyed())
      .subscribe((channel) => {
        this.upsert(channel);
        this.markJoined(channel.id);
      });
    this.socket
      .on('channel:left')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel }) => this.markLeft(channel));
    // Its topic changed (here, in another tab, or by someone else): the listing follows.
    this.socket
      .on('channel:updated')
      .pipe(takeUntilDestroyed())
      .subscribe((channel) => this.upsert(channel));
    // Nobody is in it any more: it is gone from every list, and its name is free again.
    this.socket
      .on('channel:removed')
      .pipe(takeUntilDestroyed())
      .subscribe(({ channel }) => {
        this.markLeft(channel);
        this.all.update((channels) => channels.filter((listed) => listed.id !== channel));
      });
  }

  /** The channel to go back to when the app opens on its start page, once per sign-in. */
  takeChannelToRestore(): string | null {
    const id = this.channelToRestore;
    this.channelToRestore = null;
    return id !== null && this.joinedSet().has(id) ? id : null;
  }

  /**
   * Takes in the snapshot of a (re)connect. The first one of a sign-in also says where the person
   * was last time (see takeChannelToRestore).
   */
  applySnapshot({ snapshot, reconnect, restarted }: SessionSync): void {
    this.all.set([...snapshot.channels].sort(byName));
    this.joinedSet.set(new Set(snapshot.joined));
    this.snapshotSeen.set(true);
    if (!reconnect && !restarted) {
      this.channelToRestore = snapshot.lastChannel ?? this.saved.lastChannel(snapshot.user.id);
    }
  }

  /** Joins (if needed) and opens a channel by name or id; resolves with it and its history. */
  async open(ref: string): Promise<ChannelWithHistory | null> {
    this.channelToRestore = null;
    const opened = await this.request('chat', () => this.socket.request('channel:join', { channel: ref }));
    if (opened) this.openId.set(opened.channel.id);
    return opened;
  }

  /**
   * Joins a channel again after a server restart; resolves null when that failed (gone again, or the
   * connection dropped: the next sync brings the server's truth), without an alert.
   */
  async rejoin(channelId: string): Promise<ChannelWithHistory | null> {
    try {
      const joined = await this.socket.request('channel:join', { channel: channelId });
      this.upsert(joined.channel);
      this.markJoined(joined.channel.id);
      return joined;
    } catch {
      return null;
    }
  }

  /**
   * Opens (creating on first use) the direct conversation with someone; resolves with its channel,
   * or null with the reason shown.
   */
  async openDm(userId: string): Promise<Channel | null> {
    const opened = await this.request('sidebar', () => this.socket.request('dm:open', { userId }));
    return opened?.channel ?? null;
  }

  /** The chat page closed: no channel is on screen. */
  close(): void {
    this.openId.set(null);
  }

  /** Creates a channel (the creator joins it). Resolves null, with the server's message shown, on failure. */
  async create(name: string): Promise<Channel | null> {
    const created = await this.request('sidebar', () =>
      this.socket.request('channel:create', { name: name.trim() }),
    );
    return created?.channel ?? null;
  }

  /**
   * Sets the channel's topic (blank clears it). Resolves null once saved, or the reason it was not,
   * for the topic field to show beside itself.
   */
  async setTopic(channelId: string, topic: string): Promise<AppError | null> {
    try {
      this.upsert(await this.socket.request('channel:topic', { channel: channelId, topic }));
      return null;
    } catch (error) {
      return toAppError(error);
    }
  }

  async leave(channelId: string): Promise<boolean> {
    try {
      await this.socket.request('channel:leave', { channel: channelId });
      this.markLeft(channelId);
      return true;
    } catch (error) {
      this.alerts.show('chat', toAppError(error));
      return false;
    }
  }

  private async request(
    place: AlertPlace,
    send: () => Promise<ChannelWithHistory>,
  ): Promise<ChannelWithHistory | null> {
    try {
      const joined = await send();
      this.upsert(joined.channel);
      this.markJoined(joined.channel.id);
      this.rememberLastChannel(joined.channel.id);
      this.alerts.dismiss(place);
      return joined;
    } catch (error) {
      this.alerts.show(place, toAppError(error));
      return null;
    }
  }

  private upsert(channel: Channel): void {
    this.all.update((list) => [...list.filter((known) => known.id !== channel.id), channel].sort(byName));
  }

  private markJoined(channelId: string): void {
    if (this.joinedSet().has(channelId)) return;
    this.joinedSet.update((set) => new Set(set).add(channelId));
  }

  /** Left here or in another tab: stop showing its messages, and do not reopen it next time. */
  private markLeft(channelId: string): void {
    this.joinedSet.update((set) => {
      const next = new Set(set);
      next.delete(channelId);
      return next;
    });
    if (this.openId() === channelId) this.openId.set(null);
    if (this.channelToRestore === channelId) this.channelToRestore = null;
    const user = this.session.user();
    if (user && this.saved.lastChannel(user.id) === channelId) this.saved.saveLastChannel(user.id, null);
  }

  private rememberLastChannel(channelId: string): void {
    const user = this.session.user();
    if (user) this.saved.saveLastChannel(user.id, channelId);
  }

  private reset(): void {
    this.all.set([]);
    this.joinedSet.set(new Set());
    this.openId.set(null);
    this.snapshotSeen.set(false);
    this.channelToRestore = null;
  }
}
