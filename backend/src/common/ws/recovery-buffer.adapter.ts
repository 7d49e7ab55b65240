import { SessionAwareAdapter } from 'socket.io-adapter';

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

/**
 * Socket.IO's in-memory adapter with connection-state recovery, keeping at most
 * RECOVERY_MAX_PACKETS broadcasts. Socket.IO's own keeps every broadcast of the recovery window
 * (two minutes, swept once a minute): under load that is hundreds of thousands of messages held
 * only for replay, and the garbage collector walks them all on every major collection.
 */
export class RecoveryBufferAdapter extends SessionAwareAdapter {
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    super.broadcast(packet, opts);
    // Socket.IO keeps the list private; it is oldest first, and replay looks offsets up in it.
    const kept = (this as unknown as { packets: unknown[] }).packets;
    if (kept.length > RECOVERY_MAX_PACKETS + TRIM_BATCH) kept.splice(0, kept.length - RECOVERY_MAX_PACKETS);
  }
}
