// Cross-instance order (issue 17): with writers on three instances, how often a live message
// arrives before one with a lower seq, and how many history requests per 1,000 messages the app's
// gap rule makes: asking at once (before) or after waiting GAP_WAIT_MS for the missing one (now).
// Runs on the built server (`npm run build` first), with a throwaway redis-server:
//
//   node bench/lib/order.mjs [ratePerWriter=100] [seconds=10]
//
// The reader applies the app's rule with the contract's own sync functions (never a copy).

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, startServer } from './servers.mjs';
import { call, claim, connect, startRedis } from './uploads.mjs';

const require = createRequire(import.meta.url);
const { isAfterGap } = await import(require.resolve('@flack/contract', { paths: [`${REPO_ROOT}frontend`] }));

/** The app's wait (frontend/src/app/chat/messages-store.ts GAP_WAIT_MS). */
const WAITS_MS = [0, 300];

/**
 * A reader's view of one channel, as the app keeps it: messages by seq above a floor; a gap is
 * asked for after `waitMs` if still open, and the answer (the history) fills it.
 */
function reader(waitMs) {
  const view = { floor: 0, messages: [] };
  let requests = 0;
  let timer = null;
  const fill = () => {
    const newest = view.messages.at(-1);
    if (!newest || !isAfterGap(view, newest)) return;
    requests++;
    // What `channel:history { afterSeq }` would bring: everything up to the newest.
    view.floor = newest.seq;
    view.messages = [];
  };
  return {
    receive(message) {
      if (message.seq <= view.floor || view.messages.some((known) => known.seq === message.seq)) return;
      view.messages.push({ seq: message.seq });
      view.messages.sort((a, b) => a.seq - b.seq);
      if (!isAfterGap(view, message)) return;
      if (waitMs === 0) return fill();
      timer ??= setTimeout(() => {
        timer = null;
        fill();
      }, waitMs);
    },
    get requests() {
      return requests;
    },
  };
}

export async function runOrder({ ratePerWriter = 100, seconds = 10 } = {}) {
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url, DEFAULT_CHANNELS: '' };
  const servers = [];
  const sockets = [];
  try {
    for (let i = 0; i < 3; i++) servers.push(await startServer('flack', { env }));
    const bases = servers.map((server) => `http://127.0.0.1:${server.port}`);
    const writers = [];
    for (const [i, base] of bases.entries()) {
      const session = await claim(base, `writer${i}`);
      const socket = await connect(base, session.token);
      sockets.push(socket);
      writers.push(socket);
    }
    const { channel } = await call(writers[0], 'channel:create', { name: 'order' });
    for (const writer of writers.slice(1)) await call(writer, 'channel:join', { channel: channel.id });
    const readerSession = await claim(bases[0], 'reader');
    const readerSocket = await connect(bases[0], readerSession.token);
    sockets.push(readerSocket);
    await call(readerSocket, 'channel:join', { channel: channel.id });

    const readers = WAITS_MS.map((waitMs) => ({ waitMs, view: reader(waitMs) }));
    let received = 0;
    let outOfOrder = 0;
    let highest = 0;
    readerSocket.on('message:new', (message) => {
      received++;
      if (message.seq < highest) outOfOrder++;
      highest = Math.max(highest, message.seq);
      for (const { view } of readers) view.receive(message);
    });
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      writers.map(async (writer, w) => {
        let n = 0;
        while (Date.now() < until) {
          const started = Date.now();
          writer.emit('message:send', {
            channel: channel.id,
            text: `w${w} ${n++}`,
            clientId: randomUUID(),
          });
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(0, 1000 / ratePerWriter - (Date.now() - started))),
          );
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const perThousand = (count) => Math.round((count / received) * 1000 * 10) / 10;
    return {
      writers: 3,
      ratePerWriter,
      received,
      outOfOrderPercent: Math.round((outOfOrder / received) * 1000) / 10,
      historyRequestsPer1000: Object.fromEntries(
        readers.map(({ waitMs, view }) => [`wait ${waitMs} ms`, perThousand(view.requests)]),
      ),
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    for (const server of servers) await server.stop();
    await redis.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [rate, seconds] = process.argv.slice(2).map(Number);
  console.log(
    JSON.stringify(await runOrder({ ratePerWriter: rate || 100, seconds: seconds || 10 }), null, 2),
  );
}
