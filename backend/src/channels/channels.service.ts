import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ConfigService } from '@nestjs/config';
import {
  LIMITS,
  nameKey,
  normalizeTopic,
  topicProblem,
  type Channel,
  type ChannelWithHistory,
  type User,
} from '@flack/contract';
import { AppError } from '../common/app-error.js';
import { normalizeName, type NormalizedName } from '../common/names.js';
import type { Env } from '../config/env.js';
import { EventBus } from '../events/event-bus.js';
import { MessagesRepository } from '../messages/messages.repository.js';
import { UsersService } from '../sessions/users.service.js';
import {
  ChannelsRepository,
  type ChannelCaps,
  type ChannelListing,
  type ChannelRecord,
  type ListedChannel,
} from './channels.repository.js';

/** Ids of direct conversations start with this, which no channel name may. */
const DM_PREFIX = 'dm:';

const CHANNEL_NAME_RULES = { label: 'Channel name', field: 'name', maxLength: LIMITS.channelNameMaxLength };

/** The rules for channels: unique names, membership, and where each user was last. */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);
  /** Bounds memory: a server-wide cap, and a per-user one so nobody can take it all. */
  private readonly caps: ChannelCaps;
  /** DEFAULT_CHANNELS, in order: created at start-up, joined by newcomers, never removed for being empty. */
  private readonly defaults: NormalizedName[];
  private readonly defaultIds: ReadonlySet<string>;
  /**
   * The listing this instance answered last, with what was built from it: kept while the store
   * says nothing listed changed (one cheap check per listing, see ChannelsRepository.listing), so
   * every instance sees a change made on any other at its next listing.
   */
  private listed: BuiltListing | null = null;
  /** Counts store resets, so a listing read before one is not kept after it. */
  private resets = 0;
  /** The read of the listing on its way, and the one that follows it (see `current`). */
  private reading: Promise<BuiltListing> | null = null;
  private nextRead: Promise<BuiltListing> | null = null;

  constructor(
    private readonly channels: ChannelsRepository,
    private readonly events: EventBus,
    private readonly users: UsersService,
    private readonly history: MessagesRepository,
    config: ConfigService<Env, true>,
  ) {
    this.caps = {
      channels: config.get('MAX_CHANNELS', { infer: true }),
      perUser: config.get('MAX_CHANNELS_PER_USER', { infer: true }),
    };
    this.defaults = defaultChannelNames(config.get('DEFAULT_CHANNELS', { infer: true }));
    this.defaultIds = new Set(this.defaults.map((name) => name.key));
    events.on('user.claimed', ({ user }) => this.joinDefaults(user));
    events.on('user.released', ({ userId }) => this.forgetUser(userId));
    events.on('channel.left', ({ channelId }) => this.removeIfEmpty(channelId));
    // The default channels are there again before anyone re-claims a name and is joined to them.
    events.on('store.reset', async () => {
      this.resets++;
      this.listed = null;
      await this.ensureDefaults();
    });
  }

  /** `list()` as JSON, for `GET /api/channels`: serialised once per change rather than per request. */
  async listJson(): Promise<string> {
    const listed = await this.current();
    return (listed.json ??= JSON.stringify(listed.channels));
  }

  /**
   * Every channel (no direct conversations), sorted by name, as listed to clients and over REST.
   * Shared between callers until the listing changes: not to be changed.
   */
  async list(): Promise<Channel[]> {
    return (await this.current()).channels;
  }

  /** Every channel, plus the user's own direct conversations. */
  async listFor(userId: string): Promise<Channel[]> {
    return (await this.sessionOf(userId)).channels;
  }

  /**
   * What a session starts from: the user's channels in join order, the last one they had open (if
   * still a member) and the listing with their direct conversations. Two store calls whatever the
   * number of channels.
   */
  async sessionOf(
    userId: string,
  ): Promise<{ joined: string[]; lastChannel: string | null; channels: Channel[] }> {
    const [{ joined, lastOpened, dms }, listed] = await Promise.all([
      this.channels.membershipOf(userId, true),
      this.current(),
    ]);
    const channels =
      dms.length === 0 ? [...listed.channels] : sorted([...listed.channels, ...dms.map(listedChannel)]);
    return { joined, lastChannel: lastChannelOf(joined, lastOpened), channels };
  }

  /**
   * The listing as it is now. One read of the store at a time: a caller that comes while one is
   * on its way waits for the next one, which starts after it came (the one on its way may not see
   * a change made just before), so a crowd listing at once costs the store one read per round trip.
   */
  private current(): Promise<BuiltListing> {
    if (!this.reading) return (this.reading = this.read().finally(() => (this.reading = null)));
    return (this.nextRead ??= this.reading
      .catch(() => undefined)
      .then(() => {
        this.nextRead = null;
        return this.current();
      }));
  }

  /** The one built last if the store says nothing listed changed. */
  private async read(): Promise<BuiltListing> {
    const known = this.listed;
    const resets = this.resets;
    const listing = await this.channels.listing(known?.listing ?? null);
    if (known && listing.channels === known.listing.channels) {
      // Nothing listed changed, or nothing that shows (a count of an unlisted conversation).
      known.listing = listing;
      return known;
    }
    const built: BuiltListing = { listing, channels: sorted(listing.channels.map(listedChannel)) };
    if (resets === this.resets) this.listed = built;
    return built;
  }

  /**
   * The direct conversation of two users, created on first use; both are (again) members. Returns
   * who was newly added, so their tabs can be told.
   */
  async openDm(user: User, peerId: string): Promise<ChannelWithHistory & { added: User[] }> {
    if (peerId === user.id) {
      throw new AppError('INVALID', 'You cannot start a direct conversation with yourself.');
    }
    const [peer] = await this.users.findMany([peerId]);
    if (!peer) throw new AppError('NOT_FOUND', 'There is nobody with that name any more.');
    const people = [user, peer].sort((a, b) => a.id.localeCompare(b.id));
    const id = dmId(people[0].id, people[1].id);
    const record: ChannelRecord = {
      id,
      name: people.map((person) => person.name).join(', '),
      // Longer than any channel name can be, so no channel can take this id or skeleton.
      skeleton: id,
      createdAt: new Date().toISOString(),
      createdBy: '',
      messageCount: 0,
      lastMessageAt: null,
      dm: people,
    };
    const existing = await this.channels.insertUnlessTaken(record);
    if (existing && !existing.dm) throw new AppError('INTERNAL', 'That conversation cannot be opened.');
    const added = await Promise.all(people.map((person) => this.channels.addMember(id, person.id)));
    await this.channels.setLastOpened(user.id, id);
    const channel = await this.toChannel(existing ?? record);
    const newMembers = people.filter((_, i) => added[i]);
    for (const person of newMembers) await this.events.emit('channel.joined', { channel, user: person });
    return { channel, messages: await this.history.recent(id), added: newMembers };
  }

  /** Creates a channel and makes its creator the first member. */
  async create(user: User, rawName: string): Promise<Channel> {
    const { display, key, skeleton } = normalizeName(rawName, CHANNEL_NAME_RULES);
    if (key.startsWith(DM_PREFIX)) {
      throw new AppError('INVALID', `A channel name cannot start with "${DM_PREFIX}".`, {
        details: { name: [`A channel name cannot start with "${DM_PREFIX}".`] },
      });
    }
    const record: ChannelRecord = {
      id: key,
      name: display,
      skeleton,
      createdAt: new Date().toISOString(),
      createdBy: user.id,
      messageCount: 0,
      lastMessageAt: null,
    };
    // Caps, name and membership in one step: what it costs does not grow with the channels.
    const created = await this.channels.create(record, this.caps);
    if (created.outcome === 'cap-reached') {
      throw new AppError(
        'FORBIDDEN',
        created.cap === 'channels'
          ? `Flack has reached its limit of ${this.caps.channels} channels.`
          : `You can create at most ${this.caps.perUser} channels.`,
      );
    }
    if (created.outcome === 'taken') {
      const existing = created.channel;
      const looksLike = existing.id === key ? '' : ` and looks too much like "${display}"`;
      throw new AppError('CHANNEL_EXISTS', `A channel named "${existing.name}" already exists${looksLike}.`);
    }
    // Its creator is its one member.
    const channel = channelOf(record, 1);
    await this.events.emit('channel.joined', { channel, user });
    return channel;
  }

  /**
   * Creates the default channels that do not exist yet; answers those it created. Safe when several
   * instances start at once on one Redis (the insert is atomic) and when they exist already.
   */
  async ensureDefaults(): Promise<Channel[]> {
    const created: Channel[] = [];
    for (const { display, key, skeleton } of this.defaults) {
      const record: ChannelRecord = {
        id: key,
        name: display,
        skeleton,
        createdAt: new Date().toISOString(),
        // The server's, so it counts against nobody's MAX_CHANNELS_PER_USER.
        createdBy: '',
        messageCount: 0,
        lastMessageAt: null,
      };
      const existing = await this.channels.insertUnlessTaken(record);
      if (!existing) created.push(await this.toChannel(record));
      else if (existing.id !== key) {
        this.logger.warn(
          `default channel "${display}" not created: "${existing.name}" looks too much like it`,
        );
      }
    }
    return created;
  }

  /**
   * A newcomer joins the default channels, and the first one is where the app opens. Their sign-in
   * does not fail for it: at worst they start without them.
   */
  private async joinDefaults(user: User): Promise<void> {
    try {
      let first: string | null = null;
      for (const id of this.defaultIds) {
        const record = await this.channels.findById(id);
        if (!record || record.dm || !(await this.channels.addMember(id, user.id))) continue;
        first ??= id;
        await this.events.emit('channel.joined', { channel: await this.toChannel(record), user });
      }
      if (first !== null) await this.channels.setLastOpened(user.id, first);
    } catch (error) {
      this.logger.warn(`user ${user.id} was not joined to the default channels: ${String(error)}`);
    }
  }

  /**
   * Members only: sets the topic, or clears it when blank. `changed` is false when the topic was
   * already that, so nobody is told of a change that did not happen.
   */
  async setTopic(user: User, ref: string, rawTopic: string): Promise<{ channel: Channel; changed: boolean }> {
    const problem = topicProblem(rawTopic);
    if (problem) throw new AppError('INVALID', problem, { details: { topic: [problem] } });
    const record = await this.requireMembership(user.id, ref);
    const topic = normalizeTopic(rawTopic);
    if ((record.topic ?? '') === topic) return { channel: await this.toChannel(record), changed: false };
    const changed = await this.channels.setTopic(record.id, topic === '' ? null : topic);
    // Removed in between (its last member left): as if it never existed.
    if (!changed) throw noSuchChannel();
    return { channel: await this.toChannel(changed), changed: true };
  }

  /** Joins (idempotent) and remembers the channel as the user's last one. */
  async join(user: User, ref: string): Promise<ChannelWithHistory & { newlyJoined: boolean }> {
    const record = await this.require(ref);
    // Someone else's direct conversation does not exist as far as this user can tell.
    if (record.dm && !record.dm.some((person) => person.id === user.id)) throw noSuchChannel();
    const newlyJoined = await this.channels.addMember(record.id, user.id);
    await this.channels.setLastOpened(user.id, record.id);
    const channel = await this.toChannel(record);
    if (newlyJoined) await this.events.emit('channel.joined', { channel, user });
    return { channel, messages: await this.history.recent(record.id), newlyJoined };
  }

  async leave(user: User, ref: string): Promise<Channel> {
    const record = await this.require(ref);
    if (record.dm) {
      // Someone else's conversation answers as one that does not exist.
      if (!record.dm.some((person) => person.id === user.id)) throw noSuchChannel();
      throw new AppError('FORBIDDEN', 'A direct conversation cannot be left.');
    }
    if (!(await this.channels.removeMember(record.id, user.id))) {
      throw notAMember(record);
    }
    await this.events.emit('channel.left', { channelId: record.id, user });
    return this.toChannel(record);
  }

  /** The channel, if the user may read and write it; NOT_FOUND or NOT_A_MEMBER otherwise. */
  async requireMembership(userId: string, ref: string): Promise<ChannelRecord> {
    const record = await this.require(ref);
    if (!(await this.channels.isMember(record.id, userId))) {
      // Someone else's direct conversation is not even named.
      throw membershipRefusal(record);
    }
    return record;
  }

  /** Members only: who is in the channel, by name. */
  async members(userId: string, ref: string): Promise<User[]> {
    const channel = await this.requireMembership(userId, ref);
    const members = await this.users.findMany(await this.channels.memberIds(channel.id));
    return members.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The user's channels in join order, and the last one they had open (if still a member). One store call. */
  async membershipOf(userId: string): Promise<{ joined: string[]; lastChannel: string | null }> {
    const { joined, lastOpened } = await this.channels.membershipOf(userId);
    return { joined, lastChannel: lastChannelOf(joined, lastOpened) };
  }

  /** The user leaves every channel; those left with nobody in them go (see removeIfEmpty). */
  private async forgetUser(userId: string): Promise<void> {
    const joined = await this.channels.channelsOf(userId);
    await this.channels.removeUser(userId);
    for (const channelId of joined) await this.removeIfEmpty(channelId);
  }

  /**
   * A channel nobody is a member of any more is removed, and its name is free again: channels of
   * people who left (or whose names were released) do not pile up against MAX_CHANNELS for good.
   */
  private async removeIfEmpty(channelId: string): Promise<void> {
    // A default channel stays, empty or not: it is where newcomers land.
    if (this.defaultIds.has(channelId)) return;
    if (!(await this.channels.removeIfEmpty(channelId))) return;
    await this.events.emit('channel.removed', { channelId });
  }

  /** Resolves a name or id the way names compare; unknown or malformed is NOT_FOUND. */
  private async require(ref: string): Promise<ChannelRecord> {
    const record = await this.channels.findById(channelKey(ref));
    if (!record) throw noSuchChannel();
    return record;
  }

  private async toChannel(record: ChannelRecord): Promise<Channel> {
    return channelOf(record, await this.channels.memberCount(record.id));
  }
}

/** The listing this instance answered last, and what was built from it. */
interface BuiltListing {
  listing: ChannelListing;
  /** Sorted as listed. */
  channels: Channel[];
  /** `channels` as JSON, made at the first `GET /api/channels` that needs it. */
  json?: string;
}

/** By id, which is the name as names compare. */
function sorted(channels: Channel[]): Channel[] {
  return channels.sort((a, b) => a.id.localeCompare(b.id) || a.name.localeCompare(b.name));
}

function listedChannel({ record, members }: ListedChannel): Channel {
  return channelOf(record, members);
}

/** The last channel opened, if the user is still a member. */
function lastChannelOf(joined: string[], lastOpened: string | null): string | null {
  return lastOpened !== null && joined.includes(lastOpened) ? lastOpened : null;
}

/** A channel as clients see it. */
function channelOf(record: ChannelRecord, members: number): Channel {
  return {
    id: record.id,
    name: record.name,
    members,
    messages: Math.min(record.messageCount, LIMITS.historySize),
    createdAt: record.createdAt,
    lastMessageAt: record.lastMessageAt,
    ...(record.dm ? { dm: record.dm } : {}),
    ...(record.topic ? { topic: record.topic } : {}),
  };
}

/** DEFAULT_CHANNELS as channel names; a name no one could create stops the start-up, with the reason. */
function defaultChannelNames(names: string[]): NormalizedName[] {
  const normalized = names.map((name) => {
    try {
      const channel = normalizeName(name, CHANNEL_NAME_RULES);
      if (channel.key.startsWith(DM_PREFIX)) throw new Error(`cannot start with "${DM_PREFIX}"`);
      return channel;
    } catch (error) {
      throw new Error(`DEFAULT_CHANNELS: "${name}" is not a channel name: ${(error as Error).message}`);
    }
  });
  // Listed twice (or as two spellings of one name): once.
  return normalized.filter((name, i) => normalized.findIndex((other) => other.key === name.key) === i);
}

/**
 * Two user ids, in order: one conversation whoever opens it. Hashed, so no key of the store is
 * named after a person (their conversation outlives their name for the other one).
 */
function dmId(a: string, b: string): string {
  return `${DM_PREFIX}${createHash('sha256').update(`${a}:${b}`).digest('hex')}`;
}

/** A reference to a channel (its name in any case, or its id) as the store keys it. */
export function channelKey(ref: string): string {
  return nameKey(ref.trim());
}

/** The answer for a reference to no channel (or to someone else's direct conversation). */
export function noSuchChannel(): AppError {
  return new AppError('NOT_FOUND', 'There is no channel with that name.');
}

function notAMember(record: { readonly name: string }): AppError {
  return new AppError('NOT_A_MEMBER', `You are not a member of "${record.name}". Join it first.`);
}

/**
 * Why someone who is not a member may not read or write the channel. Someone else's direct
 * conversation is not even named. Also the answer of a send refused by the append itself
 * (MessagesService.send), so both say the same words.
 */
export function membershipRefusal(channel: { readonly name: string; readonly dm?: unknown }): AppError {
  return channel.dm ? noSuchChannel() : notAMember(channel);
}
