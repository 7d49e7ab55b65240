import { Injectable } from '@nestjs/common';
import { ReadStateRepository } from './read-state.repository.js';

@Injectable()
export class InMemoryReadStateRepository extends ReadStateRepository {
  private readonly positions = new Map<string, Map<string, number>>();

  async positionsOf(userId: string): Promise<Map<string, number>> {
    return new Map(this.positions.get(userId));
  }

  async advance(userId: string, channel: string, seq: number): Promise<number> {
    const current = this.positions.get(userId)?.get(channel) ?? 0;
    // Like Redis, nothing is written unless it moves forward: a channel read at 0 stays absent.
    if (seq <= current) return current;
    let positions = this.positions.get(userId);
    if (!positions) this.positions.set(userId, (positions = new Map()));
    positions.set(channel, seq);
    return seq;
  }

  async removeUser(userId: string): Promise<void> {
    this.positions.delete(userId);
  }
}
