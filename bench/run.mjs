// `npm run bench [-- --quick] [-- --only dms,chat] [-- --reps N] [-- --baseline-no-recovery]
//                [-- --cpu-prof DIR] [-- --skip-build]`  (and `-- --only scale-out`: bench/scale-out.mjs)
//
// Measures Flack against a minimal raw Socket.IO baseline on this machine, in the same run, and
// prints one table; the full record goes to bench/results/. See bench/README.md for what each
// figure means and how far to trust it.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { measureInitialJs } from './frontend-size.mjs';
import { ensureBuilt } from './lib/build.mjs';
import { canPin, pinSelf } from './lib/processes.mjs';
import {
  runChatScenario,
  runIdleScenario,
  runReactionScenario,
  runRestScenario,
  SLO,
} from './lib/runners.mjs';
import { REPO_ROOT } from './lib/servers.mjs';
import { runUploadChat, runUploadMemory } from './lib/uploads.mjs';
import { runOrder } from './lib/order.mjs';
import { runChurn } from './lib/churn.mjs';
import { runStorm } from './lib/storm.mjs';
import { median } from './lib/stats.mjs';
import {
  summarizeChat,
  summarizeIdle,
  summarizeReactions,
  summarizeRest,
  summarizeStorm,
} from './lib/summary.mjs';
import { fmt, renderTable, verdict } from './lib/table.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    reps: { type: 'string' },
    'baseline-no-recovery': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
  },
});

// Several instances on Redis against one: its own runner, run alone (bench/scale-out.mjs).
if (args.only === 'scale-out') {
  const { runScaleOutBench } = await import('./scale-out.mjs');
  await runScaleOutBench({ quick: args.quick, reps: args.reps, skipBuild: args['skip-build'] });
  process.exit(0);
}

/**
 * Sizes fit two cores and the time budget (full under 10 minutes, quick under 2). Fixed rates sit
 * well below both servers' limits, so latency there is service time, not queueing.
 */
const CHAT_SCENARIOS = [
  { name: 'dms', title: 'DMs', users: 200, roomSize: 2, fixedRate: 2000, startRate: 4000, target: 0.95 },
  { name: 'chat', title: 'chat', users: 200, roomSize: 10, fixedRate: 1000, startRate: 2000, target: 0.95 },
  { name: 'fanout', title: 'fan-out', users: 500, roomSize: 500, fixedRate: 20, startRate: 50, target: 0.95 },
].map((scenario) => ({ textLength: 100, ...scenario }));
/** A reaction against a message, same rooms and rate, on one server (bench/README.md). */
const REACTION_SCENARIO = { name: 'reactions', users: 200, roomSize: 10, fixedRate: 1000, textLength: 100 };

const TIMING = {
  full: {
    reps: 3,
    warmupMs: 1500,
    stepMs: 1500,
    fixedMs: 3000,
    noisyRetries: 2,
    quietWaitMs: 10_000,
    noiseBudgetMs: 45_000,
    drainMs: 1000,
    bisections: 3,
    idleConnections: 10_000,
    idleSettleMs: 1000,
    restS: 5,
    restWarmS: 1,
  },
  quick: {
    reps: 1,
    warmupMs: 1000,
    stepMs: 1000,
    fixedMs: 2000,
    noisyRetries: 1,
    quietWaitMs: 2000,
    noiseBudgetMs: 3000,
    drainMs: 1000,
    bisections: 2,
    idleConnections: 2000,
    idleSettleMs: 500,
    restS: 3,
    restWarmS: 1,
  },
};

const ALL = [
  'dms',
  'chat',
  'fanout',
  'reactions',
  'idle',
  'storm',
  'rest',
  'uploads',
  'order',
  'churn',
  'frontend',
];
const selected = new Set(args.only ? args.only.split(',').map((s) => s.trim()) : ALL);
for (const name of selected)
  if (!ALL.includes(name)) throw new Error(`unknown scenario ${name}; choose from ${ALL.join(', ')}`);

const mode = args.quick ? 'quick' : 'full';
const timing = { ...TIMING[mode], ...(args.reps ? { reps: Number(args.reps) } : {}) };
const log = (line) => console.log(line);
const started = performance.now();

// Server on CPU 0, load generator (and this runner, which is idle while measuring) on CPU 1.
const pinned = canPin && cpus().length >= 2;
const cpuSet = pinned ? { server: 0, generator: 1 } : { server: undefined, generator: undefined };
if (pinned) pinSelf(cpuSet.generator);

function machine() {
  const cpuInfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const git = (...gitArgs) => {
    try {
      return execFileSync('git', gitArgs, {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return null;
    }
  };
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg()[0],
    pinning: pinned
      ? 'server on CPU 0, load generator on CPU 1 (taskset)'
      : 'none (taskset or a second CPU missing)',
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedServerChanges: Boolean(git('status', '--porcelain', '--', 'backend', 'contract')),
  };
}

const meta = machine();
log(`Flack benchmark (${mode}) - ${meta.date}`);
log(
  `Machine: ${meta.cpuModel}, ${meta.cores} cores, load average ${meta.loadAverageAtStart.toFixed(1)}; ` +
    `Node ${meta.node}; pinning: ${meta.pinning}`,
);
log(
  `Flack: commit ${meta.commit}${meta.uncommittedServerChanges ? ' plus uncommitted changes in backend/ or contract/' : ''}`,
);
log(`Flack runs with its rate limits lifted: the benchmark measures throughput, not flood control.`);

const builds = args['skip-build'] ? [] : ensureBuilt(REPO_ROOT, { log, frontend: selected.has('frontend') });

const context = {
  timing,
  log,
  cpus: cpuSet,
  cpuProfileDir: args['cpu-prof'],
  serverOptions: {
    flack: { env: {} },
    baseline: { env: args['baseline-no-recovery'] ? { BASELINE_CONNECTION_STATE_RECOVERY: '0' } : {} },
  },
};

const results = { meta, mode, timing, slo: SLO, builds, scenarios: {}, notes: [] };
const rows = [];
/** Runs one scenario, records its runs, summary and duration, and queues its table rows. */
async function scenario(name, heading, definition, run, summarizeRuns) {
  log(`\n${heading}, ${timing.reps} repetition(s)`);
  const scenarioStart = performance.now();
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    // One scenario failing (a server that would not start, a load that timed out) leaves the
    // others' figures standing: the table shows the failure, and the exit code is 1.
    const reason = String(error?.message ?? error).split('\n')[0];
    log(`  FAILED: ${error?.stack ?? error}`);
    results.scenarios[name] = { definition, error: String(error?.message ?? error) };
    rows.push({ scenario: name, figure: `FAILED: ${reason}` }, { separator: true });
    process.exitCode = 1;
    return;
  }
  const seconds = Math.round((performance.now() - scenarioStart) / 1000);
  log(`  (${seconds} s)`);
  const { summary, rows: scenarioRows } = summarizeRuns(outcome.runs);
  results.scenarios[name] = { definition, seconds, ...outcome, summary };
  rows.push(...scenarioRows);
}

for (const chat of CHAT_SCENARIOS.filter((s) => selected.has(s.name))) {
  await scenario(
    chat.name,
    `${chat.title}: ${chat.users} users in rooms of ${chat.roomSize}`,
    chat,
    () => runChatScenario(chat, context),
    (runs) => summarizeChat(chat, runs),
  );
}
if (selected.has('reactions')) {
  const reactions = REACTION_SCENARIO;
  await scenario(
    'reactions',
    `reactions: ${reactions.users} users in rooms of ${reactions.roomSize}, messages then reactions at ${reactions.fixedRate}/s`,
    reactions,
    () => runReactionScenario(reactions, context),
    (runs) => summarizeReactions(reactions, runs),
  );
}
if (selected.has('idle')) {
  const connections = timing.idleConnections;
  await scenario(
    'idle',
    `idle: ${connections} connections`,
    { connections },
    () => runIdleScenario(connections, context),
    (runs) => summarizeIdle(connections, runs),
  );
}
if (selected.has('rest')) {
  await scenario(
    'rest',
    `REST: GET /api/channels, ${timing.restS} s per run`,
    { durationS: timing.restS },
    () => runRestScenario(context),
    summarizeRest,
  );
}
if (selected.has('order')) {
  // Cross-instance order (issue 17): writers on three instances on Redis, one reader; how often a
  // live message overtakes a lower seq, and the history requests the app's gap rule makes.
  try {
    const order = await runOrder();
    results.order = order;
    rows.push(
      {
        scenario: 'order',
        figure: `3 instances x ${order.ratePerWriter} msg/s: live messages out of seq order`,
        flack: `${order.outOfOrderPercent}%`,
      },
      {
        scenario: 'order',
        figure: 'history requests per 1,000 messages: asking at once / after 300 ms',
        flack: `${order.historyRequestsPer1000['wait 0 ms']} / ${order.historyRequestsPer1000['wait 300 ms']}`,
      },
      { separator: true },
    );
  } catch (error) {
    rows.push(
      { scenario: 'order', figure: `FAILED: ${String(error?.message ?? error)}` },
      { separator: true },
    );
  }
}
if (selected.has('churn')) {
  // Presence churn (issues 15 and 17): three instances on Redis, people coming and going while
  // others watch; what presence costs Redis idle, and per change in commands, deliveries and CPU.
  try {
    const churn = await runChurn(args.quick ? { connected: 200, changesPerSecond: 20, seconds: 5 } : {});
    results.churn = churn;
    const { idle, churn: c } = churn;
    rows.push(
      {
        scenario: 'churn',
        figure: 'presence idle, per person per minute: Redis commands / bytes',
        flack: `${idle.commandsPerMinutePerPerson} / ${idle.bytesPerMinutePerPerson} B`,
      },
      {
        scenario: 'churn',
        figure: `${c.connected} on, ${c.changesPerSecond} changes/s; per change: deliveries / frames / Redis commands / bytes / CPU`,
        flack: `${c.deliveriesPerChange} / ${c.framesPerChange} / ${c.commandsPerChange} / ${c.bytesPerChange} B / ${c.serverCpuMsPerChange} ms`,
      },
      { separator: true },
    );
  } catch (error) {
    rows.push(
      { scenario: 'churn', figure: `FAILED: ${String(error?.message ?? error)}` },
      { separator: true },
    );
  }
}
if (selected.has('storm')) {
  // The reconnect storm (issue 15): every client cut at once, two messages per room while away,
  // everyone back at once with connection-state recovery; both servers, alternating.
  try {
    const users = args.quick ? 1000 : 5000;
    const runs = await runStorm({ users, reps: timing.reps, cpus: cpuSet, log });
    results.storm = runs;
    rows.push(...summarizeStorm(users, runs).rows);
  } catch (error) {
    rows.push(
      { scenario: 'storm', figure: `FAILED: ${String(error?.message ?? error)}` },
      { separator: true },
    );
  }
}
if (selected.has('uploads')) {
  // Files (issue 14): what a stored megabyte costs in memory, and whether chat keeps its p99 while
  // 1 MB photos are uploaded (re-encoded and thumbnailed) beside it. Flack only: raw Socket.IO has
  // no uploads to compare with.
  try {
    const memory = await runUploadMemory({ log: () => {} });
    const chat = await runUploadChat({ log: () => {} });
    results.uploads = { memory, chat };
    rows.push(
      {
        scenario: 'uploads',
        figure: 'memory per stored MB: in memory (RSS) / on Redis (used_memory)',
        flack: `${memory.memory.serverRssPerStoredMb} / ${memory.redis.redisUsedPerStoredMb} MB`,
      },
      {
        scenario: 'uploads',
        figure: `chat p99 at ${chat.quiet.messagesPerSecond} msg/s: alone / with 2 photo uploaders`,
        flack: `${chat.quiet.p99Ms} / ${chat.busy.p99Ms} ms`,
      },
      { separator: true },
    );
  } catch (error) {
    rows.push(
      { scenario: 'uploads', figure: `FAILED: ${String(error?.message ?? error)}` },
      { separator: true },
    );
  }
}
if (selected.has('frontend')) {
  const distDir = join(REPO_ROOT, 'frontend/dist/browser');
  if (existsSync(join(distDir, 'index.html'))) {
    const size = measureInitialJs(distDir);
    results.frontend = size;
    rows.push({
      scenario: 'frontend',
      figure: `initial JS, ${size.files.length} files (raw / gzip)`,
      flack: `${fmt.kb(size.raw)} / ${fmt.kb(size.gzip)}`,
      target: verdict('<=80 kB gzip', size.gzip, (v) => v <= 80_000),
    });
  } else {
    results.notes.push('No frontend build: the initial JS size is missing.');
  }
}

// Flack answers CONNECT with a `pid` when it offers connection state recovery.
const flackRecovery = Object.values(results.scenarios)
  .flatMap((s) => s.runs ?? [])
  .find((run) => run.kind === 'flack' && run.setup?.connectInfo)?.setup.connectInfo.pid;
results.notes.push(
  'Flack ran with its rate limits lifted (MESSAGE_RATE_PER_SECOND etc.): throughput, not flood control, is measured.',
  'Both servers: one process, NODE_ENV=production, the same Socket.IO copy and transport settings, pinned to the same CPU.',
  'The REST baseline serves the same JSON bytes but no security headers, no ETag and no access log.',
  `Flack offers connection state recovery: ${flackRecovery ? 'yes' : 'no (or not observed)'}; baseline: ${args['baseline-no-recovery'] ? 'no (--baseline-no-recovery)' : 'yes, same bound (10,000 broadcasts)'}.`,
  `Each max-rate step lasts ${timing.stepMs} ms after a ${timing.warmupMs} ms warm-up; medians of ${timing.reps} repetition(s), ±half the range.`,
);

const elapsedS = (performance.now() - started) / 1000;
results.elapsedSeconds = Math.round(elapsedS);
log(`\n${renderTable(rows)}`);
for (const note of results.notes) log(`* ${note}`);
// The highest median share of the server CPU that other processes took in any message scenario.
const noisiest = Math.max(
  0,
  ...Object.values(results.scenarios).flatMap(({ summary }) => [
    // A failed scenario has no summary.
    summary?.flack.foreignServerCpu ?? 0,
    summary?.baseline.foreignServerCpu ?? 0,
  ]),
);
results.noise = { maxMedianForeignServerCpu: noisiest };
if (noisiest > 0.1) {
  log(
    `* WARNING: other processes took up to ${Math.round(noisiest * 100)}% of the server's CPU during trials; ` +
      'the machine was busy and these figures are noise-dominated. Run again on a quiet machine.',
  );
}
const invalidRuns = Object.values(results.scenarios)
  .flatMap((s) => s.runs ?? [])
  .filter((run) => !run.valid);
if (invalidRuns.length) log(`* ${invalidRuns.length} run(s) INVALID; see "invalid" in the JSON.`);
log(
  `Finished in ${Math.round(elapsedS)} s (median server start-up: Flack ${median(
    Object.values(results.scenarios)
      .flatMap((s) => s.runs ?? [])
      .filter((r) => r.kind === 'flack' && r.startupMs)
      .map((r) => r.startupMs),
  )} ms).`,
);

const resultsDir = join(REPO_ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
const file = `${meta.date.replace(/[:.]/g, '-')}${mode === 'quick' ? '-quick' : ''}.json`;
writeFileSync(join(resultsDir, file), json);
writeFileSync(join(resultsDir, 'latest.json'), json);
log(`Results: bench/results/${file} (and bench/results/latest.json)`);
