// `npm run bench -- --only scale-out [--quick] [--reps N] [--skip-build]`
//
// What running on Redis costs: the chat scenario (200 users in rooms of 10) against one Flack
// instance in memory, one instance on Redis, and two instances on Redis with every room's members
// spread over both. Same load generator, rate search and service level as the main benchmark
// (bench/README.md). Every server process (the Flack instances and redis-server) shares CPU 0 and
// the generator has CPU 1, so each setup gets the same server-side budget of one core and the
// figures price the work Redis adds, not the gain of a second machine.

import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { findMaxRate } from './load/rate-search.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { canPin, freePort, pinSelf, spawnNode, stopNode } from './lib/processes.mjs';
import { judge, SLO } from './lib/runners.mjs';
import { REPO_ROOT, startServer } from './lib/servers.mjs';
import { median } from './lib/stats.mjs';

const SCENARIO = { users: 200, roomSize: 10, textLength: 100, fixedRate: 1000, startRate: 2000 };
const SETUPS = [
  { name: 'one instance, in memory', instances: 1, redis: false },
  { name: 'one instance on Redis', instances: 1, redis: true },
  { name: 'two instances on Redis', instances: 2, redis: true },
];
const TIMING = {
  full: { reps: 2, warmupMs: 1500, stepMs: 1500, fixedMs: 3000, drainMs: 1000, bisections: 3 },
  quick: { reps: 1, warmupMs: 1000, stepMs: 1000, fixedMs: 2000, drainMs: 1000, bisections: 2 },
};

const TASKSET = '/usr/bin/taskset';
const CLOCK_TICKS_PER_S = 100;

/** User + system CPU of any process, in ms, from /proc (redis-server has no probe). */
function procCpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** A throwaway redis-server (no persistence) on a free port, pinned like the servers. */
async function startRedis(cpu) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child =
    canPin && cpu !== undefined
      ? spawn(TASKSET, ['-c', String(cpu), 'redis-server', ...args], { stdio: 'ignore' })
      : spawn('redis-server', args, { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const listening = () =>
    new Promise((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
  for (let waited = 0; waited < 5000 && !(await listening()); waited += 50) await sleep(50);
  return {
    url: `redis://127.0.0.1:${port}`,
    cpuMs: () => procCpuMs(child.pid),
    /** Redis's own counters: commands run (scripts' inner calls included) and bytes in and out. */
    stats: () => redisStats(port),
    stop: async () => {
      process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/** One command over a plain socket (redis-server's inline protocol), its bulk reply as text. */
function redisInfo(port, section) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(`INFO ${section}\r\n`));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk;
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (header && Buffer.byteLength(reply) >= header[0].length + Number(header[1])) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.on('error', reject);
  });
}

/** Commands (every calls= of INFO commandstats, so a script's inner commands count) and bytes. */
async function redisStats(port) {
  const [stats, commandstats] = await Promise.all([
    redisInfo(port, 'stats'),
    redisInfo(port, 'commandstats'),
  ]);
  const field = (name) => Number(new RegExp(`${name}:(\\d+)`).exec(stats)?.[1] ?? 0);
  let commands = 0;
  for (const match of commandstats.matchAll(/calls=(\d+)/g)) commands += Number(match[1]);
  return { commands, bytesIn: field('total_net_input_bytes'), bytesOut: field('total_net_output_bytes') };
}

/** Fresh Redis and instances, the generator's users spread over them; search, then a fixed-rate run. */
async function runSetup(setup, { timing, cpu, log }) {
  const redis = setup.redis ? await startRedis(cpu.server) : null;
  const env = redis ? { REDIS_URL: redis.url } : {};
  const servers = [];
  const generator = spawnNode('load generator', ['bench/load/generator.mjs'], {
    cpu: cpu.generator,
    cwd: REPO_ROOT,
  });
  try {
    for (let i = 0; i < setup.instances; i++)
      servers.push(await startServer('flack', { cpu: cpu.server, env }));
    const gen = generator.rpc;
    await gen.request('chat.setup', {
      ...SCENARIO,
      port: servers[0].port,
      ports: servers.map((s) => s.port),
    });
    await gen.request('chat.run', { rate: SCENARIO.fixedRate, durationMs: timing.warmupMs });

    const serverCpuMs = async () =>
      (await Promise.all(servers.map((server) => server.cpu()))).reduce(
        (sum, { cpu: used }) => sum + (used.user + used.system) / 1000,
        redis ? redis.cpuMs() : 0,
      );
    const trial = async (rate, durationMs) => {
      const before = await serverCpuMs();
      const redisBefore = redis ? { cpuMs: redis.cpuMs(), ...(await redis.stats()) } : null;
      const result = await gen.request('chat.run', { rate, durationMs, drainMs: timing.drainMs });
      const cpuMs = (await serverCpuMs()) - before;
      const outcome = {
        ...result,
        verdict: judge(result),
        serverCpuUsPerDelivery: result.delivered > 0 ? (cpuMs * 1000) / result.delivered : null,
      };
      if (redisBefore && result.sent > 0) {
        // Per message sent, for the capacity model in docs/scaling.md (the counters include the
        // instances' heartbeats over the run, a small share at these rates).
        const after = { cpuMs: redis.cpuMs(), ...(await redis.stats()) };
        const redisCpuMs = after.cpuMs - redisBefore.cpuMs;
        outcome.redisPerMessage = {
          cpuUs: (redisCpuMs * 1000) / result.sent,
          commands: (after.commands - redisBefore.commands) / result.sent,
          bytesIn: (after.bytesIn - redisBefore.bytesIn) / result.sent,
          bytesOut: (after.bytesOut - redisBefore.bytesOut) / result.sent,
        };
        // All instances together: each decodes every broadcast of the stream, so this grows with them.
        outcome.instanceCpuUsPerDelivery = ((cpuMs - redisCpuMs) * 1000) / result.delivered;
      }
      log(
        `    ${String(rate).padStart(6)} msg/s: ${outcome.verdict.padEnd(9)} p99 ${result.latencyMs.p99} ms, ` +
          `delivered ${(result.deliveredRatio * 100).toFixed(2)}%, generator CPU ${Math.round(result.generatorCpu * 100)}%`,
      );
      return outcome;
    };
    const search = await findMaxRate((rate) => trial(rate, timing.stepMs), {
      start: SCENARIO.startRate,
      growth: 2,
      bisections: timing.bisections,
      maxTrials: 10,
    });
    const fixed = await trial(SCENARIO.fixedRate, timing.fixedMs);
    return { search, fixed };
  } finally {
    await stopNode(generator);
    for (const server of servers) await server.stop();
    await redis?.stop();
  }
}

export async function runScaleOutBench({ quick = false, reps, skipBuild = false } = {}) {
  const mode = quick ? 'quick' : 'full';
  const timing = { ...TIMING[mode], ...(reps ? { reps: Number(reps) } : {}) };
  const log = (line) => console.log(line);
  const started = performance.now();
  const pinned = canPin && cpus().length >= 2;
  const cpu = pinned ? { server: 0, generator: 1 } : { server: undefined, generator: undefined };
  if (pinned) pinSelf(cpu.generator);
  log(`Flack scale-out benchmark (${mode}): chat, ${SCENARIO.users} users in rooms of ${SCENARIO.roomSize}`);
  log(
    `Pinning: ${pinned ? 'every server process on CPU 0, load generator on CPU 1' : 'none'}; rate limits lifted.`,
  );
  if (!skipBuild) ensureBuilt(REPO_ROOT, { log, frontend: false });

  const results = [];
  for (let rep = 0; rep < timing.reps; rep++) {
    // Alternate the order so a drift in the machine's speed favours no setup.
    for (const setup of rep % 2 === 0 ? SETUPS : [...SETUPS].reverse()) {
      log(`  ${setup.name}, rep ${rep + 1}/${timing.reps}`);
      const run = await runSetup(setup, { timing, cpu, log });
      log(
        `  -> max ${run.search.maxRate} msg/s (next step failed on ${run.search.limitedBy}); at ${SCENARIO.fixedRate} msg/s ` +
          `p50 ${run.fixed.latencyMs.p50} ms, p99 ${run.fixed.latencyMs.p99} ms, ${run.fixed.serverCpuUsPerDelivery?.toFixed(1)} us CPU/delivery`,
      );
      results.push({ setup: setup.name, rep, ...run });
    }
  }

  const rows = SETUPS.map((setup) => {
    const runs = results.filter((run) => run.setup === setup.name);
    const of = (pick) => median(runs.map(pick));
    return {
      setup: setup.name,
      maxRate: Math.round(of((run) => run.search.maxRate)),
      deliveriesPerSecond: Math.round(of((run) => run.search.maxRate)) * SCENARIO.roomSize,
      p50Ms: Number(of((run) => run.fixed.latencyMs.p50).toFixed(2)),
      p99Ms: Number(of((run) => run.fixed.latencyMs.p99).toFixed(1)),
      cpuUsPerDelivery: of((run) => run.fixed.serverCpuUsPerDelivery),
      redisPerMessage: setup.redis
        ? Object.fromEntries(
            ['cpuUs', 'commands', 'bytesIn', 'bytesOut'].map((key) => [
              key,
              of((run) => run.fixed.redisPerMessage?.[key] ?? 0),
            ]),
          )
        : null,
      instanceCpuUsPerDelivery: setup.redis ? of((run) => run.fixed.instanceCpuUsPerDelivery ?? 0) : null,
      limitedBy: runs.map((run) => run.search.limitedBy).join(', '),
    };
  });
  const memory = rows[0];
  log('');
  log(
    `${'setup'.padEnd(26)}${'max msg/s'.padStart(10)}${'vs memory'.padStart(11)}` +
      `${`p50 / p99 @ ${SCENARIO.fixedRate}/s`.padStart(24)}${'CPU us/delivery'.padStart(17)}  limited by`,
  );
  for (const row of rows) {
    log(
      `${row.setup.padEnd(26)}${String(row.maxRate).padStart(10)}${`${(row.maxRate / memory.maxRate).toFixed(2)}x`.padStart(11)}` +
        `${`${row.p50Ms} / ${row.p99Ms} ms`.padStart(24)}${row.cpuUsPerDelivery.toFixed(1).padStart(17)}  ${row.limitedBy}`,
    );
  }
  log('');
  log(
    `On Redis, per message sent at ${SCENARIO.fixedRate} msg/s (rooms of ${SCENARIO.roomSize}; for docs/scaling.md's capacity model):`,
  );
  for (const row of rows.filter((candidate) => candidate.redisPerMessage)) {
    const r = row.redisPerMessage;
    log(
      `  ${row.setup.padEnd(24)} Redis CPU ${r.cpuUs.toFixed(1)} us, ${r.commands.toFixed(1)} commands, ` +
        `${Math.round(r.bytesIn)} B in / ${Math.round(r.bytesOut)} B out; ` +
        `the instances ${row.instanceCpuUsPerDelivery.toFixed(1)} us CPU per delivery`,
    );
  }
  const seconds = Math.round((performance.now() - started) / 1000);
  log(`Finished in ${seconds} s; medians of ${timing.reps} repetition(s). Server CPU includes redis-server.`);

  const dir = join(REPO_ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = `scale-out-${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`;
  writeFileSync(
    join(dir, file),
    `${JSON.stringify({ mode, timing, scenario: SCENARIO, slo: SLO, rows, results }, null, 2)}\n`,
  );
  log(`Results: bench/results/${file}`);
}
