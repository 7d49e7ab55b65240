// The reconnect storm (issue 15): `users` clients in rooms of ten lose their connections at once
// (every websocket cut in the same tick, as when a balancer or a network drops), two messages
// reach each room while they are away, and every client reconnects at once with Socket.IO's
// connection state recovery (its `pid` and the offset of the last broadcast it saw). Measured:
// the time from the cut until every client is connected again and holds both messages it missed,
// how many got them replayed by recovery, and the server's CPU over the storm. Flack and the raw
// baseline run the same steps; the clients run in this process, on the generator's CPU.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from './servers.mjs';
import { claimSessions, connectSockets, expectOk, mapLimit } from '../load/sessions.mjs';
import { SocketIoWsClient, socketUrl } from '../load/socket-io-ws-client.mjs';

const ROOM_SIZE = 10;
const MISSED_PER_ROOM = 2;
const MISSED = 'missed while away';
const BEFORE = 'just before';
/** socket.io-client's default `reconnectionDelay`. */
const RECONNECTION_DELAY_MS = 1000;

/** One member: its session, its socket, the offset of the last broadcast it saw, what it missed. */
class Member {
  offset = null;
  missed = 0;
  /** Whether it saw the message sent just before the cut, whose offset it will name. */
  ready = false;
  /** @type {SocketIoWsClient | null} */
  socket = null;

  constructor(session) {
    this.session = session;
  }

  /** Records the recovery offset Socket.IO appends to every broadcast, and counts missed messages. */
  onEvent = (frame) => {
    const packet = JSON.parse(frame.toString('utf8', 2));
    const last = packet.at(-1);
    if (packet.length > 2 && typeof last === 'string') this.offset = last;
    if (packet[0] === 'message:new' && packet[1]?.text === MISSED) this.missed++;
    if (packet[0] === 'message:new' && packet[1]?.text === BEFORE) this.ready = true;
  };

  watch(socket) {
    this.socket = socket;
    socket.onEvent = this.onEvent;
  }
}

async function stormOnce(kind, { users, cpu, cpuProfileDir }) {
  const server = await startServer(kind, { cpu, cpuProfileDir });
  try {
    const url = socketUrl(server.port);
    const rooms = users / ROOM_SIZE;
    const [senderSession, ...sessions] = await claimSessions(
      server.port,
      Array.from({ length: users + 1 }, (_, i) => `storm${i}`),
    );
    const [sender] = await connectSockets(server.port, [senderSession]);
    const channels = await mapLimit(
      Array.from({ length: rooms }, (_, i) => i),
      16,
      async (i) => {
        const created = await expectOk(
          sender.emitWithAck('channel:create', { name: `storm-${i}` }),
          'create',
        );
        return created.channel.id;
      },
    );
    const members = sessions.map((session) => new Member(session));
    const sockets = await connectSockets(server.port, sessions, { concurrency: 250 });
    members.forEach((member, i) => member.watch(sockets[i]));
    await mapLimit(members, 100, (member, i) =>
      expectOk(
        member.socket.emitWithAck('channel:join', { channel: channels[Math.floor(i / ROOM_SIZE)] }),
        'join',
      ),
    );
    // One message to each room, so that every member holds a recent offset to recover from.
    const send = (channel, text) =>
      expectOk(sender.emitWithAck('message:send', { channel, text, clientId: randomUUID() }), 'send');
    await mapLimit(channels, 50, (channel) => send(channel, BEFORE));
    const deadline = Date.now() + 30_000;
    while (members.some((member) => !member.ready) && Date.now() < deadline) await sleep(50);

    const cpuBefore = await server.cpu();
    const cutAt = performance.now();
    for (const member of members) member.socket.close();
    // Two messages to every room while its members are away.
    for (let n = 0; n < MISSED_PER_ROOM; n++)
      await mapLimit(channels, 50, (channel) => send(channel, MISSED));
    // Socket.IO's client waits its reconnection delay (1 s by default) before it tries again; then
    // everyone is back at once (250 handshakes in flight), each naming the session it had.
    await sleep(RECONNECTION_DELAY_MS);
    await mapLimit(members, 250, async (member) => {
      // The closed socket still holds its session's pid, and no event has moved the offset since.
      const auth = {
        token: member.session.token,
        pid: member.socket.connectInfo?.pid,
        offset: member.offset,
      };
      for (let attempt = 1; ; attempt++) {
        try {
          member.watch(await SocketIoWsClient.connect(url, auth, { onEvent: member.onEvent }));
          return;
        } catch (error) {
          if (attempt === 5) throw error;
          await sleep(100 * attempt);
        }
      }
    });
    const connectedAt = performance.now();
    const caughtUpBy = Date.now() + 60_000;
    while (members.some((member) => member.missed < MISSED_PER_ROOM) && Date.now() < caughtUpBy)
      await sleep(10);
    const caughtUpAt = performance.now();
    const cpuAfter = await server.cpu();
    const recovered = members.filter((member) => member.missed >= MISSED_PER_ROOM).length;
    for (const member of members) member.socket.close();
    sender.close();
    const cpuMs =
      (cpuAfter.cpu.user + cpuAfter.cpu.system - cpuBefore.cpu.user - cpuBefore.cpu.system) / 1000;
    return {
      kind,
      users,
      allConnectedMs: Math.round(connectedAt - cutAt),
      caughtUpMs: Math.round(caughtUpAt - cutAt),
      recovered,
      serverCpuMs: Math.round(cpuMs),
      valid: recovered === users,
    };
  } finally {
    await server.stop();
  }
}

/** The storm on both servers, `reps` times each, alternating which goes first. */
export async function runStorm({ users = 5000, reps = 1, cpus = {}, cpuProfileDir, log = () => {} } = {}) {
  const runs = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const kind of rep % 2 === 0 ? ['flack', 'baseline'] : ['baseline', 'flack']) {
      const run = await stormOnce(kind, { users, cpu: cpus.server, cpuProfileDir });
      log(
        `  storm rep ${rep + 1}/${reps} ${kind}: all back in ${run.allConnectedMs} ms, caught up in ` +
          `${run.caughtUpMs} ms, ${run.recovered}/${users} recovered what they missed, server CPU ${run.serverCpuMs} ms`,
      );
      runs.push(run);
    }
  }
  return runs;
}
