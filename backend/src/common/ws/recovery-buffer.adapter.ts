import { Adapter, SessionAwareAdapter, type Session } from 'socket.io-adapter';

/**
 * Broadcasts kept for connection-state recovery in one process, as many as the Redis streams
 * adapter keeps (its stream's MAXLEN): a client away for longer than these take to pile up is not
 * recovered and catches up from history instead.
 */
export const RECOVERY_MAX_PACKETS = 10_000;
/** Trimming waits for this many extra packets, so it runs once per batch rather than per broadcast. */
const TRIM_BATCH = 1_000;
/** socket.io-parser's PacketType.EVENT: the only packets Socket.IO keeps for recovery. */
const EVENT = 2;

type Packet = Parameters<SessionAwareAdapter['broadcast']>[0];
type BroadcastOptions = Parameters<SessionAwareAdapter['broadcast']>[1];

/** What Socket.IO's SessionAwareAdapter keeps, private in its types: sessions and broadcasts, oldest first. */
interface Kept {
  sessions: Map<string, Omit<Session, 'missedPackets'> & { disconnectedAt: number }>;
  /** `emittedAt` is read by Socket.IO's once-a-minute sweep, which drops those older than the window. */
  packets: { id: string; opts: BroadcastOptions; data: unknown[]; emittedAt: number }[];
  maxDisconnectionDuration: number;
}

/** What an offset of this adapter looks like: its place in base 36, after a mark (see `offsetOf`). */
const OFFSET = /^~[0-9a-z]{1,10}$/;

/**
 * Socket.IO's in-memory adapter with connection-state recovery, keeping at most
 * RECOVERY_MAX_PACKETS broadcasts. Socket.IO's own keeps every broadcast of the recovery window
 * (two minutes, swept once a minute): under load that is hundreds of thousands of messages held
 * only for replay, and the garbage collector walks them all on every major collection.
 *
 * Each broadcast's offset (what a client hands back to be recovered) is its place in the order of
 * all broadcasts, so a replay starts where the client's offset is without searching for it
 * (Socket.IO scans the whole buffer with a callback per packet) and without a table of offsets
 * (which cost a Map write and delete per broadcast). A quiet client's offset is old, so each of a
 * reconnect storm's replays walked most of the buffer: in the storm bench that was a quarter of
 * the server's CPU. A packet meant for the session is told from one that is not with a lookup per
 * room of the packet (Socket.IO's: two per room of the session).
 */
export class RecoveryBufferAdapter extends SessionAwareAdapter {
  /**
   * How many broadcasts were kept, ever. Packets leave only from the front (trimmed here, swept by
   * Socket.IO), so the kept ones hold the places from `broadcasts - packets.length` on, in order.
   */
  private broadcasts = 0;

  /**
   * Socket.IO's SessionAwareAdapter `broadcast`, with the offset made from the broadcast's place
   * (Socket.IO's is a time-based id), then the in-memory adapter's broadcast as Socket.IO calls it.
   */
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    // Socket.IO keeps no packet with an ack (the callback cannot be replayed) and no volatile one.
    if (packet.type === EVENT && packet.id === undefined && opts.flags?.volatile === undefined) {
      const { packets } = this.kept();
      const id = offsetOf(this.broadcasts++);
      // At the end of the data, where the client reads the offset of the last packet it processed.
      (packet.data as unknown[]).push(id);
      packets.push({ id, opts, data: packet.data as unknown[], emittedAt: Date.now() });
      if (packets.length > RECOVERY_MAX_PACKETS + TRIM_BATCH) {
        packets.splice(0, packets.length - RECOVERY_MAX_PACKETS);
      }
    }
    Adapter.prototype.broadcast.call(this, packet, opts);
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
    // Kept packets are contiguous in the order of broadcasts: the offset's is at `place - oldest`.
    const at = OFFSET.test(offset) ? placeOf(offset) - (this.broadcasts - packets.length) : -1;
    if (!(at >= 0 && packets[at]?.id === offset)) return none;
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    for (let i = at + 1; i < packets.length; i++) {
      const { opts, data } = packets[i];
      if (reaches(opts, rooms)) missedPackets.push(data);
    }
    return Promise.resolve({ ...session, missedPackets });
  }

  private kept(): Kept {
    return this as unknown as Kept;
  }
}

/** The offset of the broadcast at `place`. The mark keeps it apart from Socket.IO's offsets. */
function offsetOf(place: number): string {
  return `~${place.toString(36)}`;
}

function placeOf(offset: string): number {
  return parseInt(offset.slice(1), 36);
}

/** Whether a broadcast reached a socket in `rooms`: in one of its rooms (or to all), in none it excepted. */
function reaches({ rooms: to, except }: BroadcastOptions, rooms: Set<string>): boolean {
  for (const room of except ?? []) if (rooms.has(room)) return false;
  if (to.size === 0) return true;
  for (const room of to) if (rooms.has(room)) return true;
  return false;
}
