import { afterEach, describe, expect, it } from '@jest/globals';
import type { Namespace } from 'socket.io';
import { SessionAwareAdapter } from 'socket.io-adapter';
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

  it('recovers nobody from a broadcast it no longer keeps, trimmed or swept', async () => {
    adapter = new RecoveryBufferAdapter(namespace());
    const offsets = broadcast(RECOVERY_MAX_PACKETS * 3);
    const kept = adapter as unknown as { packets: { id: string }[] };
    // Socket.IO's own sweep drops packets from the front (those older than the window).
    const swept = kept.packets.splice(0, 100);
    offsets.push(...broadcast(1));
    adapter.persistSession({ sid: 's', pid: 'p', rooms: ['r'], data: {} });
    expect(await adapter.restoreSession('p', swept[99].id)).toBeNull();
    expect(await adapter.restoreSession('p', offsets[0])).toBeNull();
    const restored = await adapter.restoreSession('p', offsets[offsets.length - 4]);
    expect(restored?.missedPackets.map((packet) => packet.at(-1))).toEqual(offsets.slice(-3));
  });

  it('recovers nobody from an offset it never gave', async () => {
    adapter = new RecoveryBufferAdapter(namespace());
    const offsets = broadcast(5);
    adapter.persistSession({ sid: 's', pid: 'p', rooms: ['r'], data: {} });
    const newest = parseInt(offsets[4].slice(1), 36);
    for (const offset of [
      `~${(newest + 1).toString(36)}`,
      '~-1',
      '~',
      offsets[2].slice(1),
      `~${'z'.repeat(40)}`,
      'MzMzMzM',
      `${offsets[2]} `,
    ]) {
      expect(await adapter.restoreSession('p', offset)).toBeNull();
    }
    expect((await adapter.restoreSession('p', offsets[2]))?.missedPackets).toHaveLength(2);
  });

  it('replays exactly what Socket.IO’s own adapter replays, for any rooms and offset', async () => {
    adapter = new RecoveryBufferAdapter(namespace());
    const socketIo = new SessionAwareAdapter(namespace());
    // Broadcasts to one room, to two, to all, to all but one room, to a room but one.
    const audiences: [string[], string[]][] = [
      [['a'], []],
      [['b', 'c'], []],
      [[], []],
      [[], ['a']],
      [['c'], ['b']],
      [['d'], []],
    ];
    const offsets: [string, string][] = [];
    for (let i = 0; i < 60; i++) {
      const [rooms, except] = audiences[i % audiences.length];
      const stamped = [adapter, socketIo].map((each) => {
        const data: unknown[] = ['event', { i }];
        each.broadcast({ type: 2, nsp: '/', data }, { rooms: new Set(rooms), except: new Set(except) });
        return data[data.length - 1] as string;
      });
      offsets.push(stamped as [string, string]);
    }
    const sessions = [['a'], ['b'], ['a', 'c'], ['d', 'b'], ['e'], []];
    const missed = async (each: SessionAwareAdapter, rooms: string[], offset: string) => {
      each.persistSession({ sid: 's', pid: 'p', rooms, data: {} });
      const restored = await each.restoreSession('p', offset);
      return restored?.missedPackets.map((packet) => packet.slice(0, 2)) ?? null;
    };
    for (const rooms of sessions) {
      for (const at of [0, 7, 31, 58, 59]) {
        const ours = await missed(adapter, rooms, offsets[at][0]);
        expect(ours).toEqual(await missed(socketIo, rooms, offsets[at][1]));
        // Every session hears something of the 59 after the first (to all, at least).
        if (at === 0) expect(ours?.length).toBeGreaterThan(0);
      }
    }
    expect(await missed(adapter, ['a'], 'no such offset')).toBeNull();
    socketIo.close();
  });
});
