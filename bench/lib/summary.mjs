// From the runs of a scenario to what the table shows: medians across repetitions, the ratio
// Flack/baseline, the target each ratio is judged against, and the rows of the table.

import { SLO } from './runners.mjs';
import { median, ratio, summarize } from './stats.mjs';
import { fmt, verdict } from './table.mjs';

const validity = (runs) => (runs.every((run) => run.valid) ? 'valid' : 'INVALID');

/**
 * Describes Flack's runs and the baseline's the same way (`describe` gets one side's runs), and
 * divides the figures named in `ratioOf` (each picks one median from a description).
 */
function compare(runs, describe, ratioOf) {
  const [flack, baseline] = ['flack', 'baseline'].map((kind) =>
    describe(runs.filter((run) => run.kind === kind)),
  );
  const ratios = Object.fromEntries(
    Object.entries(ratioOf).map(([name, pick]) => [name, ratio(pick(flack), pick(baseline))]),
  );
  return { flack, baseline, ratios };
}

/** Noise level, plus how many fixed-rate runs stayed disturbed (their latency is suspect). */
const noise = ({ foreignServerCpu, disturbedFixedRuns }) =>
  fmt.pct(foreignServerCpu) + (disturbedFixedRuns ? `, ${disturbedFixedRuns} disturbed` : '');

/** Medians, ratios and table rows of a message scenario. */
export function summarizeChat(scenario, runs) {
  const rows = [];
  const describe = (mine) => ({
    maxRate: summarize(mine.map((r) => r.search.maxRate)),
    cpuPerDelivery: summarize(mine.map((r) => r.fixed.serverCpuUsPerDelivery)),
    p50: summarize(mine.map((r) => r.fixed.latencyMs.p50)),
    p99: summarize(mine.map((r) => r.fixed.latencyMs.p99)),
    max: summarize(mine.map((r) => r.fixed.latencyMs.max)),
    // The longest over every repetition: one long pause is what a user would feel.
    longestGc: Math.max(...mine.map((r) => r.fixed.longestGcMs ?? NaN)),
    fixedDelivered: Math.min(...mine.map((r) => r.fixed.deliveredRatio)),
    limitedBy: [...new Set(mine.map((r) => r.search.limitedBy))].join('/'),
    // The busiest the generator was in a run whose figures are used.
    generatorCpu: Math.max(
      ...mine.flatMap((r) => [
        r.fixed.generatorCpu,
        ...r.search.trials.filter((t) => t.verdict === 'pass').map((t) => t.generatorCpu),
      ]),
    ),
    // Other processes' share of the server's CPU, median over every trial: the noise level.
    foreignServerCpu: median(
      mine.flatMap((r) => [...r.search.trials, r.fixed].map((t) => t.foreignCpu.serverCore)),
    ),
    // Fixed-rate runs still disturbed by other processes after the allowed repeats.
    disturbedFixedRuns: mine.filter((r) => r.fixed.disturbed).length,
    validity: validity(mine),
  });
  const summary = compare(runs, describe, {
    maxRate: (side) => side.maxRate.median,
    cpuPerDelivery: (side) => side.cpuPerDelivery.median,
    p99: (side) => side.p99.median,
  });
  const { flack, baseline: base } = summary;
  summary.p50DifferenceMs = flack.p50.median - base.p50.median;
  const label = `${scenario.title} (${scenario.users / scenario.roomSize}x${scenario.roomSize})`;
  const at = `@ ${fmt.int(scenario.fixedRate)} msg/s`;
  rows.push(
    {
      scenario: label,
      figure: `max msg/s (p99<=${SLO.p99Ms}ms, >=${SLO.delivered * 100}%)`,
      flack: fmt.spread(flack.maxRate, fmt.int),
      baseline: fmt.spread(base.maxRate, fmt.int),
      ratio: fmt.ratio(summary.ratios.maxRate),
      target: verdict(
        `>=${scenario.target.toFixed(2)}x`,
        summary.ratios.maxRate,
        (v) => v >= scenario.target,
      ),
    },
    {
      scenario: label,
      figure: 'deliveries/s at max',
      flack: fmt.int(flack.maxRate.median * scenario.roomSize),
      baseline: fmt.int(base.maxRate.median * scenario.roomSize),
    },
    {
      scenario: label,
      figure: 'limited by (first failing step)',
      flack: flack.limitedBy,
      baseline: base.limitedBy,
    },
    {
      scenario: label,
      figure: `server CPU us/delivery ${at}`,
      flack: fmt.num(flack.cpuPerDelivery.median, 2),
      baseline: fmt.num(base.cpuPerDelivery.median, 2),
      ratio: fmt.ratio(summary.ratios.cpuPerDelivery),
      target: verdict('<=1.00x', summary.ratios.cpuPerDelivery, (v) => v <= 1),
    },
    {
      scenario: label,
      figure: `latency p50 ${at}`,
      flack: fmt.ms(flack.p50.median),
      baseline: fmt.ms(base.p50.median),
      ratio: Number.isFinite(summary.p50DifferenceMs)
        ? `${summary.p50DifferenceMs >= 0 ? '+' : ''}${summary.p50DifferenceMs.toFixed(2)} ms`
        : '-',
      target: verdict('<=+1 ms', summary.p50DifferenceMs, (v) => v <= 1),
    },
    {
      scenario: label,
      figure: `latency p99 ${at}`,
      flack: fmt.ms(flack.p99.median),
      baseline: fmt.ms(base.p99.median),
      ratio: fmt.ratio(summary.ratios.p99),
      target: verdict('<=1.30x', summary.ratios.p99, (v) => v <= 1.3),
    },
    {
      scenario: label,
      figure: `latency max ${at}`,
      flack: fmt.ms(flack.max.median),
      baseline: fmt.ms(base.max.median),
    },
    {
      scenario: label,
      figure: `longest GC pause ${at} (any run)`,
      flack: fmt.ms(flack.longestGc),
      baseline: fmt.ms(base.longestGc),
      target: verdict('<=20 ms', flack.longestGc, (v) => v <= 20),
    },
    {
      scenario: label,
      figure: `delivered ${at} (worst run)`,
      flack: `${(flack.fixedDelivered * 100).toFixed(2)}%`,
      baseline: `${(base.fixedDelivered * 100).toFixed(2)}%`,
    },
    {
      scenario: label,
      figure: 'load generator CPU (peak, used runs)',
      flack: `${fmt.pct(flack.generatorCpu)} ${flack.validity}`,
      baseline: `${fmt.pct(base.generatorCpu)} ${base.validity}`,
    },
    {
      scenario: label,
      figure: 'others on server CPU; fixed runs disturbed',
      flack: noise(flack),
      baseline: noise(base),
    },
    { separator: true },
  );
  return { summary, rows };
}

/** Medians, ratios and table rows of the reactions scenario: a reaction's cost next to a message's. */
export function summarizeReactions(scenario, runs) {
  const describe = (mine) => {
    const perMessage = summarize(mine.map((r) => r.send.serverCpuUsPerOperation));
    const perReaction = summarize(mine.map((r) => r.react.serverCpuUsPerOperation));
    return {
      perMessage,
      perReaction,
      // Per run, so that both figures come from the same server process.
      reactionPerMessage: summarize(
        mine.map((r) => ratio(r.react.serverCpuUsPerOperation, r.send.serverCpuUsPerOperation)),
      ),
      reactionP50: summarize(mine.map((r) => r.react.latencyMs.p50)),
      reactionP99: summarize(mine.map((r) => r.react.latencyMs.p99)),
      delivered: Math.min(...mine.flatMap((r) => [r.send.deliveredRatio, r.react.deliveredRatio])),
      foreignServerCpu: median(mine.flatMap((r) => [r.send, r.react].map((t) => t.foreignCpu.serverCore))),
      disturbedFixedRuns: mine.filter((r) => r.send.disturbed || r.react.disturbed).length,
      validity: validity(mine),
    };
  };
  const summary = compare(runs, describe, {
    perMessage: (side) => side.perMessage.median,
    perReaction: (side) => side.perReaction.median,
  });
  const { flack, baseline: base } = summary;
  const label = `reactions (${scenario.users / scenario.roomSize}x${scenario.roomSize})`;
  const at = `@ ${fmt.int(scenario.fixedRate)}/s`;
  const rows = [
    {
      scenario: label,
      figure: `server CPU us/message:send ${at}`,
      flack: fmt.spread(flack.perMessage, (v) => fmt.num(v, 1)),
      baseline: fmt.spread(base.perMessage, (v) => fmt.num(v, 1)),
      ratio: fmt.ratio(summary.ratios.perMessage),
    },
    {
      scenario: label,
      figure: `server CPU us/reaction ${at}`,
      flack: fmt.spread(flack.perReaction, (v) => fmt.num(v, 1)),
      baseline: fmt.spread(base.perReaction, (v) => fmt.num(v, 1)),
      ratio: fmt.ratio(summary.ratios.perReaction),
    },
    {
      scenario: label,
      figure: 'a reaction / a message (same server)',
      flack: fmt.ratio(flack.reactionPerMessage.median),
      baseline: fmt.ratio(base.reactionPerMessage.median),
      target: verdict('Flack <=1.30x', flack.reactionPerMessage.median, (v) => v <= 1.3),
    },
    {
      scenario: label,
      figure: `reaction ack latency p50 / p99 ${at}`,
      flack: `${fmt.ms(flack.reactionP50.median)} / ${fmt.ms(flack.reactionP99.median)}`,
      baseline: `${fmt.ms(base.reactionP50.median)} / ${fmt.ms(base.reactionP99.median)}`,
    },
    {
      scenario: label,
      figure: 'delivered (worst run); validity',
      flack: `${(flack.delivered * 100).toFixed(2)}% ${flack.validity}`,
      baseline: `${(base.delivered * 100).toFixed(2)}% ${base.validity}`,
    },
    {
      scenario: label,
      figure: 'others on server CPU; fixed runs disturbed',
      flack: noise(flack),
      baseline: noise(base),
    },
    { separator: true },
  ];
  return { summary, rows };
}

/** Medians, ratios and table rows of the idle scenario. */
export function summarizeIdle(connections, runs) {
  const rows = [];
  const describe = (mine) => ({
    heap: summarize(mine.map((r) => r.perConnection.heapUsed)),
    rss: summarize(mine.map((r) => r.perConnection.rss)),
    socketHeap: summarize(mine.map((r) => r.perConnection.socketHeapUsed)),
    connectMs: summarize(mine.map((r) => r.connectMs)),
    validity: validity(mine),
  });
  const summary = compare(runs, describe, {
    heap: (side) => side.heap.median,
    rss: (side) => side.rss.median,
  });
  const { flack, baseline: base } = summary;
  const label = `idle (${fmt.int(connections)} conns)`;
  rows.push(
    {
      scenario: label,
      figure: 'heap per connection (session+socket)',
      flack: fmt.spread(flack.heap, fmt.kb),
      baseline: fmt.spread(base.heap, fmt.kb),
      ratio: fmt.ratio(summary.ratios.heap),
      target: verdict('<=1.20x', summary.ratios.heap, (v) => v <= 1.2),
    },
    {
      scenario: label,
      figure: 'heap per connection (socket only)',
      flack: fmt.kb(flack.socketHeap.median),
      baseline: fmt.kb(base.socketHeap.median),
      ratio: fmt.ratio(ratio(flack.socketHeap.median, base.socketHeap.median)),
    },
    {
      scenario: label,
      figure: 'RSS per connection',
      flack: fmt.kb(flack.rss.median),
      baseline: fmt.kb(base.rss.median),
      ratio: fmt.ratio(summary.ratios.rss),
    },
    {
      scenario: label,
      figure: 'time to connect all',
      flack: fmt.ms(flack.connectMs.median),
      baseline: fmt.ms(base.connectMs.median),
      ratio: fmt.ratio(ratio(flack.connectMs.median, base.connectMs.median)),
    },
    {
      scenario: label,
      figure: 'connect rate (connections/s)',
      flack: fmt.int((connections / flack.connectMs.median) * 1000),
      baseline: fmt.int((connections / base.connectMs.median) * 1000),
      ratio: fmt.ratio(ratio(base.connectMs.median, flack.connectMs.median)),
      target: verdict('>=0.90x', ratio(base.connectMs.median, flack.connectMs.median), (v) => v >= 0.9),
    },
    { scenario: label, figure: 'all connected', flack: flack.validity, baseline: base.validity },
    { separator: true },
  );
  return { summary, rows };
}

/** Medians, ratios and table rows of the reconnect storm (lib/storm.mjs). */
export function summarizeStorm(users, runs) {
  const describe = (mine) => ({
    caughtUp: summarize(mine.map((r) => r.caughtUpMs)),
    allConnected: summarize(mine.map((r) => r.allConnectedMs)),
    serverCpu: summarize(mine.map((r) => r.serverCpuMs)),
    fewestRecovered: Math.min(...mine.map((r) => r.recovered)),
    validity: validity(mine),
  });
  const summary = compare(runs, describe, {
    caughtUp: (side) => side.caughtUp.median,
    allConnected: (side) => side.allConnected.median,
    serverCpu: (side) => side.serverCpu.median,
  });
  const { flack, baseline: base, ratios } = summary;
  const scenario = `storm (${users / 10}x10)`;
  const timed = (figure, name) => ({
    scenario,
    figure,
    flack: fmt.spread(flack[name], fmt.ms),
    baseline: fmt.spread(base[name], fmt.ms),
    ratio: fmt.ratio(ratios[name]),
  });
  const rows = [
    timed('time from the cut until all back and caught up', 'caughtUp'),
    timed('time until all connected again', 'allConnected'),
    {
      scenario,
      figure: 'got what they missed from recovery (worst run)',
      flack: `${fmt.int(flack.fewestRecovered)}/${fmt.int(users)}`,
      baseline: `${fmt.int(base.fewestRecovered)}/${fmt.int(users)}`,
    },
    timed('server CPU over the storm', 'serverCpu'),
    { scenario, figure: 'every client caught up', flack: flack.validity, baseline: base.validity },
    { separator: true },
  ];
  return { summary, rows };
}

/** Medians, ratios and table rows of the REST scenario. */
export function summarizeRest(runs) {
  const rows = [];
  const describe = (mine) => ({
    requestsPerSecond: summarize(mine.map((r) => r.requestsPerSecond)),
    p50: summarize(mine.map((r) => r.latencyMs.p50)),
    p99: summarize(mine.map((r) => r.latencyMs.p99)),
    cpuPerRequest: summarize(mine.map((r) => r.serverCpuUsPerRequest)),
    generatorCpu: Math.max(...mine.map((r) => r.generatorCpu)),
    serverCpu: median(mine.map((r) => r.serverCpu)),
    foreignServerCpu: median(mine.map((r) => r.foreignCpu.serverCore)),
    bodyBytes: mine[0]?.bodyBytes,
    validity: validity(mine),
  });
  const summary = compare(runs, describe, { requestsPerSecond: (side) => side.requestsPerSecond.median });
  const { flack, baseline: base } = summary;
  const label = `REST (${fmt.int(flack.bodyBytes)} B JSON)`;
  rows.push(
    {
      scenario: label,
      figure: 'GET /api/channels req/s (32 conns)',
      flack: fmt.spread(flack.requestsPerSecond, fmt.int),
      baseline: fmt.spread(base.requestsPerSecond, fmt.int),
      ratio: fmt.ratio(summary.ratios.requestsPerSecond),
      target: verdict('>=0.80x', summary.ratios.requestsPerSecond, (v) => v >= 0.8),
    },
    {
      scenario: label,
      figure: 'latency p50 / p99',
      flack: `${flack.p50.median} / ${flack.p99.median} ms`,
      baseline: `${base.p50.median} / ${base.p99.median} ms`,
    },
    {
      scenario: label,
      figure: 'server CPU us/request',
      flack: fmt.num(flack.cpuPerRequest.median),
      baseline: fmt.num(base.cpuPerRequest.median),
      ratio: fmt.ratio(ratio(flack.cpuPerRequest.median, base.cpuPerRequest.median)),
    },
    {
      scenario: label,
      figure: 'server CPU busy (median)',
      flack: fmt.pct(flack.serverCpu),
      baseline: fmt.pct(base.serverCpu),
    },
    {
      scenario: label,
      figure: 'other processes on server CPU (median)',
      flack: fmt.pct(flack.foreignServerCpu),
      baseline: fmt.pct(base.foreignServerCpu),
    },
    {
      scenario: label,
      figure: 'load generator CPU (peak)',
      flack: `${fmt.pct(flack.generatorCpu)} ${flack.validity}`,
      baseline: `${fmt.pct(base.generatorCpu)} ${base.validity}`,
    },
    { separator: true },
  );
  return { summary, rows };
}
