import type { Message } from './models.js';
import type { ChannelView } from './sync.js';

/**
 * The answer to `message:send`: only what the sender did not know before sending. The whole message
 * reaches every member, the sender's own tabs included, as `message:new` (again for a retry of the
 * same `clientId` while the message is in the history; a retry of an older one gets only this), so
 * the ack does not carry it a second time.
 */
export interface SentMessage {
  /** The stored message's `id`. */
  id: string;
  /** Its position in the channel. */
  seq: number;
  /** Server clock, ISO 8601 UTC: the time the app shows. */
  createdAt: string;
}

/**
 * Whether the message of an ack is still to arrive in `view` (its broadcast comes later, or was
 * missed by a socket that reconnected meanwhile): the client asks the history for it if it does
 * not come within a moment, as for any gap.
 */
export function stillToArrive(view: ChannelView<Message>, sent: SentMessage): boolean {
  return sent.seq > view.floor && !view.messages.some((message) => message.seq === sent.seq);
}
