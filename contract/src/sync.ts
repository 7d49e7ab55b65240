import type { HistoryPage } from './events.js';
import type { Message } from './models.js';

// How a client keeps a channel's messages whole however they arrive (a join's history, the ack of a
// send, the `message:new` broadcast, a catch-up after a gap or a reconnect). The Angular store and the
// backend's delivery-test client both run these functions, so the tests check the app's own algorithm.
// Every function is pure and returns the same view when nothing changed, so a signal holding it
// re-renders nothing.

/** Live messages beyond the stored history are kept up to this many per channel. */
export const KEEP_PER_CHANNEL = 500;

/**
 * A tracked channel: what the server stored, each seq once, in order. `M` is how the client keeps a
 * message (the app adds a delivery status); it is built from the server's `Message` by `toEntry`.
 */
export interface ChannelView<M extends Message = Message> {
  readonly messages: readonly M[];
  /**
   * Nothing at or below this seq is expected (it came before the history the server gave us);
   * everything above it, up to the newest message, belongs in the view. 0: from the channel's start.
   */
  readonly floor: number;
}

/** The newest seq up to which nothing is missing: asking for what came after it fills every gap. */
export function lastContiguousSeq(view: ChannelView<Message>): number {
  let seq = view.floor;
  for (const message of view.messages) {
    if (message.seq <= seq) continue;
    if (message.seq !== seq + 1) break;
    seq++;
  }
  return seq;
}

/** Whether something is missing before `message` in `view` (which holds it): time to catch up. */
export function isAfterGap(view: ChannelView<Message>, message: Message): boolean {
  return message.seq > lastContiguousSeq(view) + 1;
}

/**
 * Takes a history (from a join, or a catch-up whose gap was already evicted) as the start of the
 * view. Messages received live meanwhile stay: they are in it or newer.
 */
export function withHistory<M extends Message>(
  view: ChannelView<M> | undefined,
  history: readonly Message[],
  toEntry: (message: Message) => M,
): ChannelView<M> {
  const start = history[0]?.seq;
  const known = view?.messages ?? [];
  const kept = start === undefined ? known : known.filter((message) => message.seq >= start);
  return withMessages({ messages: kept, floor: start === undefined ? 0 : start - 1 }, history, toEntry)!;
}

/**
 * Adds messages in `seq` order, each once, and takes in edits and deletions of known ones; keeps
 * the newest KEEP_PER_CHANNEL. An untracked channel (no view) stays untracked.
 */
export function withMessages<M extends Message>(
  view: ChannelView<M> | undefined,
  incoming: readonly Message[],
  toEntry: (message: Message) => M,
): ChannelView<M> | undefined {
  if (!view) return undefined;
  const bySeq = new Map(view.messages.map((message) => [message.seq, message]));
  let changed = false;
  for (const message of incoming) {
    if (message.seq <= view.floor) continue;
    const known = bySeq.get(message.seq);
    if (known && !isNewerVersion(message, known)) continue;
    bySeq.set(message.seq, toEntry(message));
    changed = true;
  }
  if (!changed) return view;
  const merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  if (merged.length <= KEEP_PER_CHANNEL) return { ...view, messages: merged };
  const messages = merged.slice(-KEEP_PER_CHANNEL);
  return { messages, floor: messages[0].seq - 1 };
}

/**
 * Takes in the answer to `channel:history` with `afterSeq: lastContiguousSeq(view)`: appended, or,
 * when what was missed had been evicted meanwhile, taken as the new start of the view. A channel
 * forgotten while the request ran stays forgotten.
 */
export function withCatchUp<M extends Message>(
  view: ChannelView<M> | undefined,
  page: HistoryPage,
  toEntry: (message: Message) => M,
): ChannelView<M> | undefined {
  if (!view) return undefined;
  return page.truncated
    ? withHistory(view, page.messages, toEntry)
    : withMessages(view, page.messages, toEntry);
}

/**
 * A later version of the same message (an edit, a deletion, a reaction): the larger `revision`, so
 * two changes broadcast by different instances may arrive in either order. Deletions are final.
 */
export function isNewerVersion(incoming: Message, known: Message): boolean {
  if (incoming.id !== known.id || known.deletedAt) return false;
  if (incoming.deletedAt) return true;
  return (incoming.revision ?? 0) > (known.revision ?? 0);
}
