import { Injectable } from '@nestjs/common';
import { LIMITS, matchesSearch, searchTerms, type Message, type SearchHit } from '@flack/contract';
import { ChannelsService } from '../channels/channels.service.js';
import { MessagesRepository } from '../messages/messages.repository.js';

/** How many messages a search looks at before it lets other work run (a person in every channel). */
const MESSAGES_PER_TURN = 2000;

/** Whether `a` is newer than `b`: by time (ISO 8601 compares as text), then seq, then channel. */
function newer(a: Message, b: Message): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  return a.seq !== b.seq ? a.seq > b.seq : a.channel < b.channel;
}

/**
 * Every message of the histories (each oldest first), newest first: a merge of the histories from
 * their ends (a binary heap of one cursor per channel), so the search can stop at the limit without
 * sorting everything it did not need to look at. Within a channel the order is its seq's, even
 * where two instances' clocks disagree by a little.
 */
function* newestFirst(histories: readonly Message[][]): Generator<Message> {
  const cursors = histories
    .filter((history) => history.length > 0)
    .map((history) => ({ history, at: history.length - 1 }));
  const head = (i: number) => cursors[i].history[cursors[i].at];
  const swap = (i: number, j: number) => ([cursors[i], cursors[j]] = [cursors[j], cursors[i]]);
  const down = (from: number) => {
    for (let i = from; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let top = i;
      if (left < cursors.length && newer(head(left), head(top))) top = left;
      if (right < cursors.length && newer(head(right), head(top))) top = right;
      if (top === i) return;
      swap(i, top);
      i = top;
    }
  };
  for (let i = Math.floor(cursors.length / 2) - 1; i >= 0; i--) down(i);
  while (cursors.length > 0) {
    yield head(0);
    if (--cursors[0].at < 0) {
      swap(0, cursors.length - 1);
      cursors.pop();
    }
    down(0);
  }
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
   * history per joined channel (all at once), then looks at the newest messages first and stops at
   * the limit: the cheap test (the folded words somewhere in the folded text) rules most out before
   * any word boundary is looked at. A long search lets other work run every MESSAGES_PER_TURN.
   */
  async search(userId: string, query: string): Promise<SearchHit[]> {
    const terms = searchTerms(query);
    const { joined } = await this.channels.membershipOf(userId);
    const histories = await Promise.all(joined.map((channel) => this.messages.recent(channel)));
    const hits: SearchHit[] = [];
    let looked = 0;
    for (const message of newestFirst(histories)) {
      if (++looked % MESSAGES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
      // A deleted message keeps its place but not its text; it is never found.
      if (message.deletedAt || !matchesSearch(message.text, terms)) continue;
      hits.push({ message });
      if (hits.length === LIMITS.searchResults) break;
    }
    return hits;
  }
}
