import { afterEach, describe, expect, it } from '@jest/globals';
import type { Namespace } from 'socket.io';
import { RECOVERY_MAX_PACKETS, RecoveryBufferAdapter } from './recovery-buffer.adapter.js';

/** The little of a namespace Socket.IO's in-memory adapter touches when nobody is connected. */
const namespace = () =>
  ({
    sockets: new Map(),
    server: {
      encoder: { encode: (packet: unknown) => [JSON.stringify(packet)] },
      opts: { connectionStateRecovery: { maxDisconnectionDuration: 120_000 } },
    },
  }) as unknown as Namespace;

describe('RecoveryBufferAdapter', () => {
  let adapter: RecoveryBufferAdapter;

  afterEach(() => adapter.close());

  /** Broadcasts `count` events to room `r` and returns the offset each was stamped with. */
  function broadcast(count: number): string[] {
    const offsets: string[] = [];
    for (let i = 0; i < count; i++) {
      const data: unknown[] = ['message:new', { n: i }];
      adapter.broadcast({ type: 2, nsp: '/', data }, { rooms: new Set(['r']), except: new Set() });
      offsets.push(data[data.length - 1] as string);
    }
    return offsets;
  }

  it('replays what a dropped client missed, as Socket.IO does', async () => {
    adapter = new RecoveryBufferAdapter(namespace());
    const [first] = broadcast(3);
    adapter.persistSession({ sid: 's', pid: 'p', rooms: ['r'], data: {} });
    const restored = await adapter.restoreSession('p', first);
    expect(restored?.missedPackets).toEqual([
      ['message:new', { n: 1 }, expect.any(String)],
      ['message:new', { n: 2 }, expect.any(String)],
    ]);
  });

  it(`keeps the newest ${RECOVERY_MAX_PACKETS} broadcasts, so an older offset is not recovered`, async () => {
    adapter = new RecoveryBufferAdapter(namespace());
    const offsets = broadcast(RECOVERY_MAX_PACKETS * 2);
    const kept = (adapter as unknown as { packets: unknown[] }).packets.length;
    expect(kept).toBeGreaterThanOrEqual(RECOVERY_MAX_PACKETS);
    expect(kept).toBeLessThan(RECOVERY_MAX_PACKETS * 1.2);
    adapter.persistSession({ sid: 's', pid: 'old', rooms: ['r'], data: {} });
    expect(await adapter.restoreSession('old', offsets[0])).toBeNull();
    adapter.persistSession({ sid: 's', pid: 'recent', rooms: ['r'], data: {} });
    const restored = await adapter.restoreSession('recent', offsets[offsets.length - 11]);
    expect(restored?.missedPackets).toHaveLength(10);
  });
});
