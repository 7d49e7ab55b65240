// Bytes on the wire for one message: the `message:send` ack the sender gets and the `message:new`
// frame every member gets (the sender's tabs included), in a DM and in a channel, for Flack and
// for the raw Socket.IO baseline (which has no DMs: a channel of two stands in). Counted from the
// Engine.IO packets socket.io-client receives, framing included (`43<id>[...]`, `42["message:new",
// ...,"<recovery offset>"]`).
//
//   node bench/frame-bytes.mjs            # builds nothing: measures backend/dist as it is

import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { claimSessions, expectOk } from './load/sessions.mjs';
import { startServer } from './lib/servers.mjs';

const TEXT = 'See you at the stand-up in five minutes?';

/** A socket whose received Engine.IO message packets are kept, so the next one can be measured. */
async function connect(port, token) {
  const socket = io(`http://127.0.0.1:${port}`, {
    transports: ['websocket'],
    auth: { token },
    forceNew: true,
    reconnection: false,
  });
  const frames = [];
  socket.io.on('open', () =>
    socket.io.engine.on('packet', (packet) => {
      if (packet.type === 'message') frames.push(String(packet.data));
    }),
  );
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, frames };
}

/** Sends one message and returns the byte lengths of the ack and of the broadcast at each side. */
async function measure(sender, receiver, channel) {
  sender.frames.length = 0;
  receiver.frames.length = 0;
  const broadcast = new Promise((resolve) => receiver.socket.once('message:new', resolve));
  const own = new Promise((resolve) => sender.socket.once('message:new', resolve));
  await expectOk(
    sender.socket.emitWithAck('message:send', { channel, text: TEXT, clientId: randomUUID() }),
    'message:send',
  );
  await Promise.all([broadcast, own]);
  const bytes = (frame) => Buffer.byteLength(frame);
  return {
    ack: bytes(sender.frames.find((frame) => frame.startsWith('3'))),
    broadcast: bytes(receiver.frames.find((frame) => frame.startsWith('2["message:new"'))),
  };
}

async function run(kind) {
  const server = await startServer(kind);
  try {
    const [alice, bob] = await claimSessions(server.port, [`ada${Date.now()}`, `bo${Date.now()}`]);
    const a = await connect(server.port, alice.token);
    const b = await connect(server.port, bob.token);
    const room = (
      await expectOk(a.socket.emitWithAck('channel:create', { name: `bytes-${Date.now()}` }), 'create')
    ).channel.id;
    await expectOk(b.socket.emitWithAck('channel:join', { channel: room }), 'join');
    const rows = [{ what: 'channel', ...(await measure(a, b, room)) }];
    if (kind === 'flack') {
      const dm = (await expectOk(a.socket.emitWithAck('dm:open', { userId: bob.user.id }), 'dm:open')).channel
        .id;
      // The DM's `channel:joined` reaches Bob's socket; give it the round trip of a request.
      await b.socket.emitWithAck('channel:list');
      rows.unshift({ what: `DM (channel id ${dm.length} chars)`, ...(await measure(a, b, dm)) });
    }
    a.socket.disconnect();
    b.socket.disconnect();
    return rows;
  } finally {
    await server.stop();
  }
}

for (const kind of ['flack', 'baseline']) {
  for (const row of await run(kind)) {
    console.log(
      `${kind.padEnd(8)} ${row.what.padEnd(28)} ack ${String(row.ack).padStart(4)} B   message:new ${String(row.broadcast).padStart(4)} B   per message at the sender ${row.ack + row.broadcast} B`,
    );
  }
}
