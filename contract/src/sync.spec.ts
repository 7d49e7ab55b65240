import { describe, expect, it } from '@jest/globals';
import type { Message } from './models.js';
import {
  KEEP_PER_CHANNEL,
  isAfterGap,
  lastContiguousSeq,
  withCatchUp,
  withHistory,
  withMessages,
  type ChannelView,
} from './sync.js';

function message(seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    channel: 'general',
    seq,
    author: { id: 'u-bob', name: 'Bob' },
    text: `message ${seq}`,
    createdAt: new Date(Date.UTC(2025, 0, 1, 9, seq)).toISOString(),
    clientId: `c${seq}`,
    ...extra,
  };
}

const messages = (...seqs: number[]) => seqs.map((seq) => message(seq));
const seqs = (view: ChannelView | undefined) => view?.messages.map((m) => m.seq);
/** How a plain client keeps messages: as the server sent them. */
const asIs = (m: Message) => m;
/** How the app keeps them: with a delivery status. */
const asSent = (m: Message) => ({ ...m, status: 'sent' as const });

describe('withHistory and withMessages', () => {
  it('order by seq and keep each seq once, built as the client keeps messages', () => {
    const view = withHistory(undefined, messages(3), asSent);
    const merged = withMessages(view, messages(4, 3), asSent);

    expect(seqs(merged)).toEqual([3, 4]);
    expect(merged?.messages.every((m) => m.status === 'sent')).toBe(true);
  });

  it('return the same view when nothing is new, so nothing re-renders', () => {
    const view = withHistory(undefined, messages(1), asIs);

    expect(withMessages(view, messages(1), asIs)).toBe(view);
  });

  it('leave an untracked channel untracked', () => {
    expect(withMessages(undefined, messages(1), asIs)).toBeUndefined();
  });

  it('keep live messages newer than a history that arrives late, and drop older ones', () => {
    const live = withMessages(withHistory(undefined, [], asIs), messages(2, 7), asIs);

    const view = withHistory(live, messages(5, 6), asIs);

    expect(seqs(view)).toEqual([5, 6, 7]);
    expect(view.floor).toBe(4);
  });

  it('ignore what comes at or below the floor', () => {
    const view = withHistory(undefined, messages(5), asIs);

    expect(withMessages(view, messages(3, 4), asIs)).toBe(view);
  });

  it('take in a later edit and a deletion, but never an older version or an undeletion', () => {
    const view = withHistory(undefined, messages(1, 2), asIs);
    const edited = withMessages(
      view,
      [message(1, { text: 'fixed', editedAt: '2025-01-01T10:00:00.000Z', revision: 1 })],
      asIs,
    );
    expect(edited?.messages[0].text).toBe('fixed');

    expect(withMessages(edited, [message(1)], asIs)).toBe(edited);

    const deleted = withMessages(
      edited,
      [message(1, { text: '', deletedAt: '2025-01-01T10:01:00.000Z' })],
      asIs,
    );
    expect(deleted?.messages[0].deletedAt).toBeDefined();
    const late = message(1, { text: 'again', editedAt: '2025-01-01T10:02:00.000Z', revision: 3 });
    expect(withMessages(deleted, [late], asIs)).toBe(deleted);
  });

  it('keep the higher revision when two changes arrive out of order (two instances broadcasting)', () => {
    const view = withHistory(undefined, messages(1), asIs);
    const thumbs = { emoji: '👍', users: [{ id: 'u1', name: 'Ann' }] };
    const heart = { emoji: '❤️', users: [{ id: 'u2', name: 'Ben' }] };
    const second = message(1, { revision: 2, reactions: [thumbs, heart] });
    const first = message(1, { revision: 1, reactions: [thumbs] });

    const after = withMessages(withMessages(view, [second], asIs), [first], asIs);

    expect(after?.messages[0].reactions).toEqual([thumbs, heart]);
  });

  it('keep a message already held when another one claims its seq', () => {
    const view = withHistory(undefined, messages(1), asIs);

    expect(withMessages(view, [message(1, { id: 'other', text: 'impostor' })], asIs)).toBe(view);
  });

  it(`keep the newest ${KEEP_PER_CHANNEL}, raising the floor`, () => {
    const many = Array.from({ length: KEEP_PER_CHANNEL + 5 }, (_, i) => message(i + 1));

    const view = withMessages(withHistory(undefined, [], asIs), many, asIs)!;

    expect(view.messages).toHaveLength(KEEP_PER_CHANNEL);
    expect(view.floor).toBe(5);
    expect(lastContiguousSeq(view)).toBe(KEEP_PER_CHANNEL + 5);
  });
});

describe('lastContiguousSeq and isAfterGap', () => {
  it('know up to where nothing is missing, from the floor the history set', () => {
    const view = withHistory(undefined, messages(5, 6), asIs);

    expect(lastContiguousSeq(view)).toBe(6);
    const withHole = withMessages(view, messages(9), asIs)!;
    expect(lastContiguousSeq(withHole)).toBe(6);
    expect(isAfterGap(withHole, message(9))).toBe(true);
  });

  it('see no gap after the next message in line', () => {
    const view = withMessages(withHistory(undefined, messages(1), asIs), messages(2), asIs)!;

    expect(isAfterGap(view, message(2))).toBe(false);
  });

  it('count a channel tracked from its start (floor 0, nothing yet) from seq 1', () => {
    const fromStart: ChannelView = { messages: [], floor: 0 };

    expect(lastContiguousSeq(fromStart)).toBe(0);
    expect(isAfterGap(withMessages(fromStart, messages(3), asIs)!, message(3))).toBe(true);
  });
});

describe('withCatchUp', () => {
  it('appends what came after the last contiguous seq', () => {
    const view = withHistory(undefined, messages(1, 2), asIs);

    expect(seqs(withCatchUp(view, { messages: messages(2, 3), truncated: false }, asIs))).toEqual([1, 2, 3]);
  });

  it('starts over from the page when the missed messages were evicted', () => {
    const view = withHistory(undefined, messages(1), asIs);

    const caughtUp = withCatchUp(view, { messages: messages(150), truncated: true }, asIs);

    expect(seqs(caughtUp)).toEqual([150]);
    expect(caughtUp?.floor).toBe(149);
  });

  it('leaves a channel forgotten while the request ran forgotten', () => {
    expect(withCatchUp(undefined, { messages: messages(1), truncated: true }, asIs)).toBeUndefined();
  });
});
