import { Injectable } from '@nestjs/common';
import type { User } from '@flack/contract';
import { TypingRepository } from './typing.repository.js';

interface Typist {
  user: User;
  until: number;
}

/** Typists of one process. Answers in the order Redis does: soonest to run out first. */
@Injectable()
export class InMemoryTypingRepository extends TypingRepository {
  /** Channel id → user id → typist. */
  private readonly channels = new Map<string, Map<string, Typist>>();

  async start(channel: string, { id, name }: User, until: number, now: number): Promise<boolean> {
    let typists = this.channels.get(channel);
    if (!typists) this.channels.set(channel, (typists = new Map()));
    const before = typists.get(id);
    typists.set(id, { user: { id, name }, until });
    return !before || before.until <= now;
  }

  async stop(channel: string, userId: string, now: number, onlyIfExpired = false): Promise<User[] | null> {
    const typists = this.channels.get(channel);
    const typist = typists?.get(userId);
    if (!typists || !typist || (onlyIfExpired && typist.until > now)) return null;
    typists.delete(userId);
    if (typists.size === 0) this.channels.delete(channel);
    return this.typists(channel, now);
  }

  async typists(channel: string, now: number): Promise<User[]> {
    return [...(this.channels.get(channel)?.values() ?? [])]
      .filter((typist) => typist.until > now)
      .sort((a, b) => a.until - b.until || (a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0))
      .map(({ user }) => ({ ...user }));
  }
}
