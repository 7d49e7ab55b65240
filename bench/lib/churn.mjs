// Presence on three instances sharing one Redis (issues 15 and 17): what people cost Redis while
// nothing changes, and what one change (someone's first tab opening, their last closing) costs in
// Redis commands, `presence:changed` deliveries and server CPU. Runs on the built server
// (`npm run build` first), with a throwaway redis-server:
//
//   node bench/lib/churn.mjs [connected=1000] [changesPerSecond=40] [seconds=10]
//
// Idle: `connected` people spread over the instances; Redis's own INFO counters over a window,
// minus the same window with two people, per minute per person. Churn: every second,
// `changesPerSecond / 2` newcomers open a tab and as many earlier ones close theirs (each an
// online and, after the grace period, an offline change), while `connected` others watch.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './processes.mjs';
import { REPO_ROOT, startServer } from './servers.mjs';
import { call, claim as claimOnce, connect } from './uploads.mjs';

const require = createRequire(import.meta.url);
const { Redis } = require(require.resolve('ioredis', { paths: [`${REPO_ROOT}backend`] }));

const INSTANCES = 3;
/** Short, so that a closed tab's offline change falls inside the window. */
const GRACE_MS = 500;
const IDLE_WINDOW_MS = 20_000;

/** A redis-server on a free port, without persistence, and a client once it answers. */
async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  // ioredis retries on its own until the server listens.
  const client = new Redis(url, { retryStrategy: () => 100 });
  // Refused until the server listens; ioredis tries again.
  client.on('error', () => {});
  await new Promise((resolve) => client.once('ready', resolve));
  return {
    url,
    client,
    stop: () => {
      client.disconnect();
      child.kill('SIGKILL');
    },
  };
}

async function redisCounters(client) {
  const stats = await client.info('stats');
  const field = (name) => Number(new RegExp(`${name}:(\\d+)`).exec(stats)[1]);
  return { commands: field('total_commands_processed'), bytes: field('total_net_output_bytes') };
}

async function during(client, action) {
  const before = await redisCounters(client);
  await action();
  const after = await redisCounters(client);
  return { commands: after.commands - before.commands, bytes: after.bytes - before.bytes };
}

/** A claim tried again when a kept-alive connection was closed under it (thousands in a row). */
async function claim(base, name) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await claimOnce(base, name);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

const cpuMs = async (servers) =>
  (await Promise.all(servers.map((server) => server.cpu()))).reduce(
    (sum, { cpu: { user, system } }) => sum + (user + system) / 1000,
    0,
  );

async function connectMany(bases, count, prefix, sockets) {
  const connected = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
        const base = bases[(i + j) % bases.length];
        const session = await claim(base, `${prefix}${i + j}`);
        const socket = await connect(base, session.token);
        sockets.push(socket);
        // As the app does on every connect: the online list, whose changes it then hears.
        await call(socket, 'session:get');
        return socket;
      }),
    );
    connected.push(...batch);
  }
  return connected;
}

export async function runChurn({
  connected = 1000,
  changesPerSecond = 40,
  seconds = 10,
  log = () => {},
} = {}) {
  const redis = await startRedis();
  const { client } = redis;
  const env = { REDIS_URL: redis.url, DEFAULT_CHANNELS: '', PRESENCE_GRACE_MS: String(GRACE_MS) };
  const servers = [];
  const sockets = [];
  try {
    for (let i = 0; i < INSTANCES; i++) servers.push(await startServer('flack', { env }));
    const bases = servers.map((server) => `http://127.0.0.1:${server.port}`);

    // Idle: two people, then `connected`, each window after the arrivals have settled.
    await connectMany(bases, 2, 'pair', sockets);
    await sleep(3_000);
    const idlePair = await during(client, () => sleep(IDLE_WINDOW_MS));
    log(`idle with 2: ${JSON.stringify(idlePair)}`);
    const watchers = await connectMany(bases, connected - 2, 'watcher', sockets);
    await sleep(3_000);
    const idleCrowd = await during(client, () => sleep(IDLE_WINDOW_MS));
    log(`idle with ${connected}: ${JSON.stringify(idleCrowd)}`);
    const perPersonMinute = (total) =>
      Math.round(((total(idleCrowd) - total(idlePair)) / (connected - 2)) * (60_000 / IDLE_WINDOW_MS) * 10) /
      10;

    // Churn: newcomers' sessions claimed beforehand, so the window holds connects, not claims.
    const perTick = Math.max(1, Math.round(changesPerSecond / 2));
    const ticks = seconds;
    const sessions = [];
    for (let i = 0; i < perTick * ticks; i += 50)
      sessions.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, perTick * ticks - i) }, (_, j) =>
            claim(bases[(i + j) % INSTANCES], `churn${i + j}`),
          ),
        )),
      );
    let frames = 0;
    let deliveries = 0;
    const seenByOne = [];
    for (const [i, watcher] of watchers.entries())
      watcher.on('presence:changed', (changes) => {
        frames++;
        deliveries += changes.length;
        if (i === 0) seenByOne.push(...changes);
      });
    const churners = [];
    const cpuBefore = await cpuMs(servers);
    const churn = await during(client, async () => {
      for (let tick = 0; tick < ticks; tick++) {
        const started = Date.now();
        const arrivals = sessions.slice(tick * perTick, (tick + 1) * perTick);
        const opened = await Promise.all(
          arrivals.map((session, j) => connect(bases[(tick + j) % INSTANCES], session.token)),
        );
        sockets.push(...opened);
        for (const socket of churners.splice(0, tick === 0 ? 0 : perTick)) socket.disconnect();
        churners.push(...opened);
        await sleep(Math.max(0, 1000 - (Date.now() - started)));
      }
      // The last offline changes: the grace period, the batching, the delivery.
      await sleep(GRACE_MS + 2_000);
    });
    const cpu = (await cpuMs(servers)) - cpuBefore;
    const windowMs = ticks * 1000 + GRACE_MS + 2_000;
    // What the same window costs with nobody changing, so that only the changes are left.
    const idleShare = (total) => (total(idleCrowd) * windowMs) / IDLE_WINDOW_MS;
    const changes = seenByOne.length;
    const per = (value) => Math.round((value / changes) * 10) / 10;
    return {
      instances: INSTANCES,
      idle: {
        commandsPerMinutePerPerson: perPersonMinute((x) => x.commands),
        bytesPerMinutePerPerson: perPersonMinute((x) => x.bytes),
        commandsPerMinute: { 2: idlePair.commands * 3, [connected]: idleCrowd.commands * 3 },
        bytesPerMinute: { 2: idlePair.bytes * 3, [connected]: idleCrowd.bytes * 3 },
      },
      churn: {
        connected,
        changesPerSecond: perTick * 2,
        changes,
        commandsPerChange: per(churn.commands - idleShare((x) => x.commands)),
        bytesPerChange: per(churn.bytes - idleShare((x) => x.bytes)),
        deliveriesPerChange: per(deliveries),
        framesPerChange: per(frames),
        serverCpuMsPerChange: Math.round((cpu / changes) * 1000) / 1000,
      },
    };
  } finally {
    for (const socket of sockets) socket.disconnect();
    for (const server of servers) await server.stop();
    redis.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [connected, changesPerSecond, seconds] = process.argv.slice(2).map(Number);
  const result = await runChurn({
    connected: connected || 1000,
    changesPerSecond: changesPerSecond || 40,
    seconds: seconds || 10,
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(result, null, 2));
}
