import type { Namespace, ServerOptions, Socket } from 'socket.io';
import type { Session } from 'socket.io-adapter';

/** A recovered session held until the handshake has judged the socket that asked for it. */
export type HeldSession = Session & { missedPackets: unknown[][] };

/** How long a held session waits for its handshake (which takes milliseconds) before it is dropped. */
const HOLD_MS = 30_000;

type Adapter = InstanceType<
  Extract<NonNullable<ServerOptions['adapter']>, abstract new (...args: never[]) => unknown>
>;
type RecoveringAdapter = { restoreSession(pid: string, offset: string): Promise<HeldSession | null> };

/** A held session and when it was held; a gate's map is in that order (see `hold`). */
interface Held {
  session: HeldSession;
  at: number;
}

const gates = new WeakMap<object, Map<string, Held>>();

/**
 * Holds a session until its handshake takes it, and drops those held longer than HOLD_MS: the map
 * is in the order they were held, so the stale ones are at its start. (No timer per session: in a
 * reconnect storm that was thousands of timers, each kept for HOLD_MS after its handshake.)
 */
function hold(held: Map<string, Held>, pid: string, session: HeldSession): void {
  const now = Date.now();
  held.delete(pid);
  held.set(pid, { session, at: now });
  for (const [stale, { at }] of held) {
    if (at > now - HOLD_MS) break;
    held.delete(stale);
  }
}

/**
 * Connection-state recovery, judged before anything is replayed. Socket.IO restores a session's
 * rooms and sends its missed packets in the Socket constructor, before any middleware runs, so a
 * CONNECT with someone else's `pid` and `offset` would receive their missed messages before its
 * token is even looked at. Wrapped by this, the adapter answers Socket.IO with an empty session
 * (same id, no rooms, no data, nothing missed) and holds the real one; the handshake hands it over
 * (`takeRecovery`) only to a socket whose token belongs to the session's user, and
 * SessionGateway replays the missed packets once the socket's rooms are joined. Anyone else starts
 * a fresh, empty session.
 */
export function withRecoveryGate(base: NonNullable<ServerOptions['adapter']>): ServerOptions['adapter'] {
  // A function used with `new` may return the object it builds: Socket.IO calls `new adapter(nsp)`,
  // and the Redis streams adapter's factory is such a function.
  function gatedAdapter(nsp: Namespace): Adapter {
    const adapter = new (base as unknown as new (nsp: Namespace) => Adapter)(nsp);
    const held = new Map<string, Held>();
    gates.set(adapter, held);
    const recovering = adapter as unknown as RecoveringAdapter;
    const restore = recovering.restoreSession.bind(adapter);
    recovering.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      if (!session) return session;
      hold(held, pid, session);
      return { ...session, rooms: [], data: {}, missedPackets: [] };
    };
    return adapter;
  }
  return gatedAdapter as unknown as ServerOptions['adapter'];
}

/**
 * For a socket Socket.IO says it recovered: the session it held, if it belonged to `userId`;
 * otherwise undefined, and the socket is a fresh one (`recovered` false). Either way the held
 * session is gone.
 */
export function takeRecovery(socket: Socket, userId: string): HeldSession | undefined {
  if (!socket.recovered) return undefined;
  const pid = (socket.handshake.auth as { pid?: unknown }).pid;
  const held = gates.get(socket.nsp.adapter);
  const entry = typeof pid === 'string' ? held?.get(pid) : undefined;
  const session = entry && entry.at > Date.now() - HOLD_MS ? entry.session : undefined;
  if (typeof pid === 'string') held?.delete(pid);
  const owner = (session?.data as { user?: { id?: string } } | undefined)?.user?.id;
  if (session && owner === userId) return session;
  (socket as { recovered: boolean }).recovered = false;
  return undefined;
}
