// The scenarios, each run on a fresh server per repetition, Flack and baseline alternating (ABBA
// order, so a drift in the machine's speed during the run does not favour either side).

import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { findMaxRate } from '../load/rate-search.mjs';
import { busyMsPerCpu, foreignShare, waitForQuietCpus } from './cpu-noise.mjs';
import { spawnNode, stopNode } from './processes.mjs';
import { REPO_ROOT, startServer } from './servers.mjs';

/** The service level every trial is judged against. */
export const SLO = { p99Ms: 50, delivered: 0.999, generatorCpu: 0.9 };

const cpuMs = ({ cpu }) => (cpu.user + cpu.system) / 1000;

/** Rep 0: Flack, baseline; rep 1: baseline, Flack; ... */
const orderFor = (rep, kinds) => (rep % 2 === 0 ? kinds : [...kinds].reverse());

function spawnGenerator(cpu) {
  return spawnNode('load generator', ['bench/load/generator.mjs'], { cpu, cwd: REPO_ROOT });
}

/** Starts server and generator, runs `body`, and stops both whatever happens. */
async function withServerAndGenerator(kind, context, serverOptions, body) {
  const server = await startServer(kind, {
    cpu: context.cpus.server,
    env: serverOptions.env,
    cpuProfileDir: context.cpuProfileDir,
  });
  const generator = spawnGenerator(context.cpus.generator);
  try {
    return await body(server, generator.rpc);
  } catch (error) {
    throw new Error(`${kind}: ${error.message}\n--- server output ---\n${server.output()}`, { cause: error });
  } finally {
    await stopNode(generator);
    await server.stop();
  }
}

/**
 * Other processes took more than this share of the server's CPU (or of the generator's, which
 * shows less in the figures) during a trial.
 */
const NOISY_SHARE = { server: 0.15, generator: 0.25 };
/** The generator's 1 ms send timer fired this late: it could not keep to its schedule. */
const GENERATOR_STALL_MS = 30;
const isDisturbed = ({ foreignCpu, maxTickGapMs }) =>
  foreignCpu.serverCore > NOISY_SHARE.server ||
  foreignCpu.generatorCore > NOISY_SHARE.generator ||
  maxTickGapMs > GENERATOR_STALL_MS;

const percent = (share) => `${Math.round(share * 100)}%`;
const noiseNote = ({ foreignCpu, maxTickGapMs }) =>
  (foreignCpu.serverCore === null
    ? ''
    : `, others on server CPU ${percent(foreignCpu.serverCore)} / generator CPU ${percent(foreignCpu.generatorCore)}`) +
  (maxTickGapMs > GENERATOR_STALL_MS ? `, generator stalled ${maxTickGapMs} ms` : '');

/**
 * Keeps bursts of other processes' work from deciding a result, within a time budget per
 * scenario so that a busy machine cannot stretch the run without limit: after a disturbed trial
 * it waits (bounded) for the pinned CPUs to calm down, and it repeats a disturbed trial when the
 * caller says the result matters (a failure in the search; always for the fixed-rate run).
 */
class NoiseGuard {
  spentMs = 0;
  repeats = 0;
  #disturbed = false;

  constructor({ cpus, timing }) {
    this.cpus = cpus;
    this.timing = timing;
  }

  get #budgetLeftMs() {
    return Math.max(0, this.timing.noiseBudgetMs - this.spentMs);
  }

  async run(measure, { repeatIfDisturbed, report }) {
    for (let attempt = 0; ; attempt++) {
      if (this.#disturbed && this.#budgetLeftMs > 0) {
        const maxWaitMs = Math.min(this.timing.quietWaitMs, this.#budgetLeftMs);
        this.spentMs += await waitForQuietCpus(this.cpus, { maxWaitMs });
      }
      const start = performance.now();
      const result = await measure();
      report(result);
      this.#disturbed = isDisturbed(result);
      const repeat =
        this.#disturbed &&
        repeatIfDisturbed(result) &&
        attempt < this.timing.noisyRetries &&
        this.#budgetLeftMs > 0;
      if (!repeat) return { ...result, disturbed: this.#disturbed, attempts: attempt + 1 };
      this.spentMs += performance.now() - start;
      this.repeats++;
    }
  }
}

/** Why a trial failed, or 'pass'. An overloaded generator makes any figure suspect, so it wins. */
export function judge(result) {
  if (result.generatorCpu > SLO.generatorCpu) return 'generator';
  if (result.ackErrors > 0) return 'errors';
  if (result.deliveredRatio < SLO.delivered) return 'delivery';
  if (result.latencyMs.p99 > SLO.p99Ms) return 'latency';
  return 'pass';
}

/**
 * Runs `request` with the server's CPU time (through its probe) and every CPU's busy time (from
 * /proc/stat) read around it.
 */
async function withCpuReadings(server, request) {
  const before = await server.cpu();
  const busyBefore = busyMsPerCpu();
  const wallStart = performance.now();
  const result = await request();
  const wallMs = performance.now() - wallStart;
  const busyAfter = busyMsPerCpu();
  const after = await server.cpu();
  return {
    result,
    wallMs,
    serverCpuMs: cpuMs(after) - cpuMs(before),
    // The kernel's part (sockets, timers): what the server's own code does not show in a profile.
    serverSystemCpuMs: (after.cpu.system - before.cpu.system) / 1000,
    longestGcMs: after.longestGcMs,
    busyBefore,
    busyAfter,
  };
}

/**
 * One fixed-rate run with the server's CPU time read around it, and how much of the two pinned
 * CPUs other processes took meanwhile (noise the figures cannot correct for, only report).
 */
async function measuredRun(server, generator, args, cpus) {
  const { result, wallMs, serverCpuMs, serverSystemCpuMs, longestGcMs, busyBefore, busyAfter } =
    await withCpuReadings(server, () => generator.request('chat.run', args));
  return {
    ...result,
    serverCpuMs,
    serverSystemCpuMs,
    longestGcMs,
    serverCpu: serverCpuMs / wallMs,
    serverCpuUsPerDelivery: result.delivered > 0 ? (serverCpuMs * 1000) / result.delivered : null,
    foreignCpu: {
      serverCore: foreignShare(busyBefore, busyAfter, cpus.server, serverCpuMs, wallMs),
      // The runner shares this core but sleeps while a run is on.
      generatorCore: foreignShare(
        busyBefore,
        busyAfter,
        cpus.generator,
        result.generatorCpu * result.wallMs,
        wallMs,
      ),
    },
    verdict: judge(result),
  };
}

/** One fresh server of `kind`: set up, warm up, search the max rate, then the fixed-rate run. */
async function runChatOnce(kind, scenario, context, { prior, guard }) {
  const { timing, log } = context;
  return withServerAndGenerator(kind, context, context.serverOptions[kind], async (server, gen) => {
    const setup = await gen.request('chat.setup', {
      port: server.port,
      users: scenario.users,
      roomSize: scenario.roomSize,
      textLength: scenario.textLength,
    });
    // Warm-up: JIT, socket buffers and the message rings, none of it counted.
    await gen.request('chat.run', { rate: scenario.fixedRate, durationMs: timing.warmupMs });
    const measure = (rate, durationMs) => () =>
      measuredRun(server, gen, { rate, durationMs, drainMs: timing.drainMs }, context.cpus);
    const report = (result) =>
      log(
        `    ${kind.padEnd(8)} ${String(result.rate).padStart(6)} msg/s: ${result.verdict.padEnd(9)} ` +
          `p99 ${result.latencyMs.p99} ms, delivered ${(result.deliveredRatio * 100).toFixed(2)}%, ` +
          `server CPU ${percent(result.serverCpu)}, generator CPU ${percent(result.generatorCpu)}${noiseNote(result)}`,
      );
    // Later repetitions start from the previous result, with small steps that grow if it was off.
    const searchOptions = prior
      ? { start: prior, growth: 1.25, bisections: 2, maxTrials: 7 }
      : { start: scenario.startRate, growth: 2, bisections: timing.bisections, maxTrials: 10 };
    const search = await findMaxRate(
      (rate) =>
        guard.run(measure(rate, timing.stepMs), {
          repeatIfDisturbed: (result) => result.verdict !== 'pass',
          report,
        }),
      searchOptions,
    );
    // Steady state after the search: rings full, dedup tables warm; same rate on both servers.
    const fixed = await guard.run(measure(scenario.fixedRate, timing.fixedMs), {
      repeatIfDisturbed: () => true,
      report,
    });
    return { setup, startupMs: server.startupMs, search, fixed };
  });
}

/** DMs, chat, fan-out: highest passing rate, then latency and CPU at the scenario's fixed rate. */
export async function runChatScenario(scenario, context) {
  const { timing, log } = context;
  const runs = [];
  const priors = {};
  const guard = new NoiseGuard(context);
  for (let rep = 0; rep < timing.reps; rep++) {
    for (const kind of orderFor(rep, ['flack', 'baseline'])) {
      const run = await runChatOnce(kind, scenario, context, { prior: priors[kind], guard });
      if (run.search.maxRate) priors[kind] = run.search.maxRate;
      const invalid = [];
      if (run.search.limitedBy === 'generator') {
        invalid.push('generator saturated before the server (max rate is a lower bound)');
      }
      if (run.fixed.generatorCpu > SLO.generatorCpu)
        invalid.push('generator saturated in the fixed-rate run');
      const record = { kind, rep, ...run, valid: invalid.length === 0, invalid };
      runs.push(record);
      log(
        `  ${scenario.title} rep ${rep + 1}/${timing.reps} ${kind}: max ${run.search.maxRate} msg/s ` +
          `(next step failed on ${run.search.limitedBy}); at ${scenario.fixedRate} msg/s p50 ${run.fixed.latencyMs.p50} ms, ` +
          `p99 ${run.fixed.latencyMs.p99} ms, ${run.fixed.serverCpuUsPerDelivery?.toFixed(1)} us CPU/delivery` +
          (record.valid ? '' : ` [INVALID: ${invalid.join('; ')}]`),
      );
    }
  }
  if (guard.repeats > 0) {
    log(
      `  (${guard.repeats} disturbed trial(s) repeated; ${Math.round(guard.spentMs / 1000)} s spent on noise)`,
    );
  }
  return { runs, noise: { repeats: guard.repeats, spentMs: Math.round(guard.spentMs) } };
}

/**
 * Reactions: on one fresh server, a fixed-rate run of `message:send` and then one of reactions
 * (each adds or takes back a 👍, so each changes the message and is broadcast to the room), at the
 * same rate, in the same rooms: what a reaction costs the server next to what a message costs it.
 */
export async function runReactionScenario(scenario, context) {
  const { timing, log } = context;
  const runs = [];
  const guard = new NoiseGuard(context);
  for (let rep = 0; rep < timing.reps; rep++) {
    for (const kind of orderFor(rep, ['flack', 'baseline'])) {
      const run = await withServerAndGenerator(
        kind,
        context,
        context.serverOptions[kind],
        async (server, gen) => {
          const setup = await gen.request('chat.setup', {
            port: server.port,
            users: scenario.users,
            roomSize: scenario.roomSize,
            textLength: scenario.textLength,
          });
          const fixed = (action) => () =>
            measuredRun(
              server,
              gen,
              { rate: scenario.fixedRate, durationMs: timing.fixedMs, drainMs: timing.drainMs, action },
              context.cpus,
            );
          const report = (result) =>
            log(
              `    ${kind.padEnd(8)} ${String(result.rate).padStart(6)} /s: ${result.verdict.padEnd(9)} ` +
                `p99 ${result.latencyMs.p99} ms, delivered ${(result.deliveredRatio * 100).toFixed(2)}%, ` +
                `server CPU ${percent(result.serverCpu)}${noiseNote(result)}`,
            );
          const warmUp = (action) =>
            gen.request('chat.run', { rate: scenario.fixedRate, durationMs: timing.warmupMs, action });
          await warmUp('send');
          const send = await guard.run(fixed('send'), { repeatIfDisturbed: () => true, report });
          await gen.request('chat.seedReactionTargets');
          await warmUp('react');
          const react = await guard.run(fixed('react'), { repeatIfDisturbed: () => true, report });
          const perOperation = (result) =>
            result.sent > 0 ? (result.serverCpuMs * 1000) / result.sent : null;
          return {
            setup,
            startupMs: server.startupMs,
            send: { ...send, serverCpuUsPerOperation: perOperation(send) },
            react: { ...react, serverCpuUsPerOperation: perOperation(react) },
          };
        },
      );
      const invalid = [];
      for (const [name, result] of [
        ['message', run.send],
        ['reaction', run.react],
      ]) {
        if (result.generatorCpu > SLO.generatorCpu) invalid.push(`generator saturated in the ${name} run`);
        if (result.ackErrors > 0)
          invalid.push(`${result.ackErrors} ${name} ack error(s): ${result.firstAckError}`);
        if (result.deliveredRatio < SLO.delivered) invalid.push(`${name}s not all delivered`);
      }
      runs.push({ kind, rep, ...run, valid: invalid.length === 0, invalid });
      log(
        `  reactions rep ${rep + 1}/${timing.reps} ${kind}: at ${scenario.fixedRate}/s a message costs ` +
          `${run.send.serverCpuUsPerOperation?.toFixed(1)} us CPU, a reaction ${run.react.serverCpuUsPerOperation?.toFixed(1)} us` +
          (invalid.length ? ` [INVALID: ${invalid.join('; ')}]` : ''),
      );
    }
  }
  return { runs, noise: { repeats: guard.repeats, spentMs: Math.round(guard.spentMs) } };
}

/** Idle: heap and RSS after GC, before any session, after the sessions, after the sockets. */
export async function runIdleScenario(connections, context) {
  const { timing, log } = context;
  const runs = [];
  for (let rep = 0; rep < timing.reps; rep++) {
    for (const kind of orderFor(rep, ['flack', 'baseline'])) {
      const run = await withServerAndGenerator(
        kind,
        context,
        context.serverOptions[kind],
        async (server, gen) => {
          const empty = await server.measure();
          await gen.request('idle.claim', { port: server.port, connections }, { timeoutMs: 300_000 });
          const withSessions = await server.measure();
          const connectStart = performance.now();
          const { connected } = await gen.request('idle.connect', {}, { timeoutMs: 300_000 });
          const connectMs = performance.now() - connectStart;
          await sleep(timing.idleSettleMs);
          const withSockets = await server.measure();
          const per = (field, from) => (withSockets.memory[field] - from.memory[field]) / connections;
          return {
            connections,
            connected,
            connectMs: Math.round(connectMs),
            memory: {
              empty: empty.memory,
              withSessions: withSessions.memory,
              withSockets: withSockets.memory,
            },
            // Per connected user: its session and its socket (the socket part alone alongside).
            perConnection: {
              heapUsed: per('heapUsed', empty),
              rss: per('rss', empty),
              external: per('external', empty),
              socketHeapUsed: per('heapUsed', withSessions),
            },
          };
        },
      );
      const valid = run.connected === connections;
      runs.push({
        kind,
        rep,
        ...run,
        valid,
        invalid: valid ? [] : [`only ${run.connected} of ${connections} connected`],
      });
      log(
        `  idle rep ${rep + 1}/${timing.reps} ${kind}: ${run.connected} sockets in ${run.connectMs} ms, ` +
          `heap ${(run.perConnection.heapUsed / 1000).toFixed(2)} kB/conn, RSS ${(run.perConnection.rss / 1000).toFixed(2)} kB/conn`,
      );
    }
  }
  return { runs };
}

/** REST: autocannon on `GET /api/channels`, Flack against a node:http server with the same bytes. */
export async function runRestScenario(context) {
  const { timing, log } = context;
  const runs = [];
  let flackBody = null;
  const load = async (server, gen) => {
    await gen.request('rest.load', { port: server.port, durationS: timing.restWarmS });
    const { result, wallMs, serverCpuMs, busyBefore, busyAfter } = await withCpuReadings(server, () =>
      gen.request('rest.load', { port: server.port, durationS: timing.restS }),
    );
    return {
      ...result,
      serverCpu: serverCpuMs / wallMs,
      serverCpuUsPerRequest: (serverCpuMs * 1000) / result.totalRequests,
      foreignCpu: {
        serverCore: foreignShare(busyBefore, busyAfter, context.cpus.server, serverCpuMs, wallMs),
      },
    };
  };
  for (let rep = 0; rep < timing.reps; rep++) {
    // Flack first in the first repetition: the baseline serves the JSON Flack answered with.
    for (const kind of orderFor(rep, ['flack', 'rest-baseline'])) {
      const serverOptions =
        kind === 'flack' ? context.serverOptions.flack : { env: { CHANNELS_JSON: flackBody } };
      const run = await withServerAndGenerator(kind, context, serverOptions, async (server, gen) => {
        if (kind === 'flack') await gen.request('rest.prepare', { port: server.port });
        const response = await gen.request('rest.fetch', { port: server.port, path: '/api/channels' });
        if (response.status !== 200) throw new Error(`GET /api/channels answered ${response.status}`);
        if (kind === 'flack') flackBody ??= response.body;
        return {
          bodyBytes: Buffer.byteLength(response.body),
          ...(kind === 'flack' ? {} : { bodyMatches: response.body === flackBody }),
          ...(await load(server, gen)),
        };
      });
      const invalid = [];
      if (run.generatorCpu > SLO.generatorCpu) invalid.push('generator saturated');
      if (run.non2xx > 0 || run.errors > 0)
        invalid.push(`${run.non2xx} non-2xx answers, ${run.errors} errors`);
      if (run.bodyMatches === false) invalid.push('baseline body differs from Flack');
      runs.push({
        kind: kind === 'flack' ? 'flack' : 'baseline',
        rep,
        ...run,
        valid: invalid.length === 0,
        invalid,
      });
      log(
        `  REST rep ${rep + 1}/${timing.reps} ${kind}: ${Math.round(run.requestsPerSecond)} req/s, ` +
          `p99 ${run.latencyMs.p99} ms, generator CPU ${Math.round(run.generatorCpu * 100)}%` +
          (invalid.length ? ` [INVALID: ${invalid.join('; ')}]` : ''),
      );
    }
  }
  return { runs };
}
