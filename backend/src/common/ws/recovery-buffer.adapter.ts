import { SessionAwareAdapter, type Session } from 'socket.io-adapter';

/**
 * Broadcasts kept for connection-state recovery in one process, as many as the Redis streams
 * adapter keeps (its stream's MAXLEN): a client away for longer than these take to pile up is not
 * recovered and catches up from history instead.
 */
export const RECOVERY_MAX_PACKETS = 10_000;
/** Trimming waits for this many extra packets, so it runs once per batch rather than per broadcast. */
const TRIM_BATCH = 1_000;

type Packet = Parameters<SessionAwareAdapter['broadcast']>[0];
type BroadcastOptions = Parameters<SessionAwareAdapter['broadcast']>[1];

/** What Socket.IO's SessionAwareAdapter keeps, private in its types: sessions and broadcasts, oldest first. */
interface Kept {
  sessions: Map<string, Omit<Session, 'missedPackets'> & { disconnectedAt: number }>;
  packets: { id: string; opts: BroadcastOptions; data: unknown[] }[];
  maxDisconnectionDuration: number;
}

/**
 * Socket.IO's in-memory adapter with connection-state recovery, keeping at most
 * RECOVERY_MAX_PACKETS broadcasts. Socket.IO's own keeps every broadcast of the recovery window
 * (two minutes, swept once a minute): under load that is hundreds of thousands of messages held
 * only for replay, and the garbage collector walks them all on every major collection.
 *
 * A replay also starts where the client's offset is without searching for it (Socket.IO scans the
 * whole buffer with a callback per packet), and tells a packet meant for the session from one that
 * is not with a lookup per room of the packet (Socket.IO's: two per room of the session). A quiet
 * client's offset is old, so each of a reconnect storm's replays walked most of the buffer: in the
 * storm bench that was a quarter of the server's CPU.
 */
export class RecoveryBufferAdapter extends SessionAwareAdapter {
  /** Each kept broadcast's place in the order of all broadcasts, by its offset. */
  private readonly places = new Map<string, number>();
  /**
   * The offsets in `places`, oldest first, from `head` on: what to forget is found at the front of
   * this queue. (Iterating the Map from its front, as this did, walks past every entry deleted
   * since the Map last rehashed: thousands per broadcast, the adapter's largest cost under load.)
   */
  private order: string[] = [];
  private head = 0;
  private broadcasts = 0;

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const { packets } = this.kept();
    const before = packets.length;
    super.broadcast(packet, opts);
    if (packets.length > before) {
      const offset = packets[packets.length - 1].id;
      this.places.set(offset, this.broadcasts++);
      this.order.push(offset);
    }
    if (packets.length > RECOVERY_MAX_PACKETS + TRIM_BATCH) {
      packets.splice(0, packets.length - RECOVERY_MAX_PACKETS);
    }
    // Forget the places of packets no longer kept: trimmed above, or dropped from the front by
    // Socket.IO (those older than the recovery window). Either way the oldest, so the front of
    // the queue, and as many as `places` holds beyond the packets kept.
    const { order, places } = this;
    while (places.size > packets.length) places.delete(order[this.head++]);
    if (this.head > TRIM_BATCH && this.head * 2 > order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
  }

  /** Socket.IO's `restoreSession`, with the same answers (a spec compares them). */
  override restoreSession(pid: string, offset: string): Promise<Session> {
    const { sessions, packets, maxDisconnectionDuration } = this.kept();
    const none = null as unknown as Promise<Session>;
    const session = sessions.get(pid);
    if (!session) return none;
    if (session.disconnectedAt + maxDisconnectionDuration < Date.now()) {
      sessions.delete(pid);
      return none;
    }
    const place = this.places.get(offset);
    const oldest = packets.length > 0 ? this.places.get(packets[0].id) : undefined;
    // Kept packets are contiguous in the order of broadcasts: the offset's is at `place - oldest`.
    if (place === undefined || oldest === undefined || place < oldest) return none;
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    for (let i = place - oldest + 1; i < packets.length; i++) {
      const { opts, data } = packets[i];
      if (reaches(opts, rooms)) missedPackets.push(data);
    }
    return Promise.resolve({ ...session, missedPackets });
  }

  private kept(): Kept {
    return this as unknown as Kept;
  }
}

/** Whether a broadcast reached a socket in `rooms`: in one of its rooms (or to all), in none it excepted. */
function reaches({ rooms: to, except }: BroadcastOptions, rooms: Set<string>): boolean {
  for (const room of except ?? []) if (rooms.has(room)) return false;
  if (to.size === 0) return true;
  for (const room of to) if (rooms.has(room)) return true;
  return false;
}
