import { describe, expect, it } from '@jest/globals';
import type { Message } from './models.js';
import { stillToArrive } from './sent.js';
import type { ChannelView } from './sync.js';

const stored = (seq: number): Message => ({
  id: `m${seq}`,
  channel: 'general',
  seq,
  author: { id: 'u-ada', name: 'Ada' },
  text: `message ${seq}`,
  createdAt: new Date(Date.UTC(2025, 0, 1, 9, seq)).toISOString(),
  clientId: `c${seq}`,
});
const ack = (seq: number) => ({ id: `m${seq}`, seq, createdAt: stored(seq).createdAt });

describe('stillToArrive', () => {
  const view: ChannelView = { messages: [stored(3), stored(4)], floor: 2 };

  it('is true for an acknowledged message the view does not hold yet', () => {
    expect(stillToArrive(view, ack(5))).toBe(true);
  });

  it('is false once its broadcast (or a catch-up) brought it', () => {
    expect(stillToArrive(view, ack(4))).toBe(false);
  });

  it('is false for one below the start of the view, which no catch-up would bring', () => {
    expect(stillToArrive(view, ack(2))).toBe(false);
  });
});
