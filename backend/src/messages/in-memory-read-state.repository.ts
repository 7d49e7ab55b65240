import { Injectable } from '@nestjs/common';
import { ReadStateRepository } from './read-state.repository.js';

@Injectable()
export class InMemoryReadStateRepository extends ReadStateRepository {
  private readonly positions = new Map<string, Map<string, number>>();

  async positionsOf(userId: string): Promise<Map<string, number>> {
    return new Map(this.positions.get(userId));
  }

  async advance(userId: string, channel: string, seq: number): Promise<number> {
    let positions = this.positions.get(userId);
    if (!positions) this.positions.set(userId, (positions = new Map()));
    const position = Math.max(positions.get(channel) ?? 0, seq);
    positions.set(channel, position);
    return position;
  }

  async removeUser(userId: string): Promise<void> {
    this.positions.delete(userId);
  }
}
