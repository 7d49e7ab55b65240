import { Injectable } from '@nestjs/common';
import { LIMITS, matchesSearch, searchTerms, type Message, type SearchHit } from '@flack/contract';
import { ChannelsService } from '../channels/channels.service.js';
import { MessagesRepository } from '../messages/messages.repository.js';

/** Newest first: by time (ISO 8601 compares as text), then by seq (one channel's own order), then by channel. */
function newestFirst(a: Message, b: Message): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return b.seq - a.seq || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0);
}

/**
 * Finds messages by their words in what a person can read: the stored history (the newest
 * LIMITS.historySize) of every channel and direct conversation they are a member of, nothing else.
 * Membership alone decides, so another person's conversation is never even read. The matching rule
 * is the contract's (`matchesSearch`), the one the app highlights with.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly channels: ChannelsService,
    private readonly messages: MessagesRepository,
  ) {}

  /**
   * At most LIMITS.searchResults messages with every word of `query`, newest first. Reads one
   * history per joined channel (all at once), then checks the newest messages first and stops at
   * the limit: the cheap test (the folded words somewhere in the folded text) rules most out
   * before any word boundary is looked at.
   */
  async search(userId: string, query: string): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    const { joined } = await this.channels.membershipOf(userId);
    const histories = await Promise.all(joined.map((channel) => this.messages.recent(channel)));
    const hits: SearchHit[] = [];
    for (const message of histories.flat().sort(newestFirst)) {
      // A deleted message keeps its place but not its text; it is never found.
      if (message.deletedAt || !matchesSearch(message.text, terms)) continue;
      hits.push({ message });
      if (hits.length === LIMITS.searchResults) break;
    }
    return hits;
  }
}
