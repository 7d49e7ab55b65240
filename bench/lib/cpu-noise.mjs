// How busy each CPU was, from /proc/stat, so a trial can tell how much of the server's (or the
// generator's) CPU went to other processes. On a shared machine that is the main source of noise,
// and a figure taken while it was high deserves less trust.

import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

// /proc/stat counts in USER_HZ ticks, 100 per second on Linux.
const MS_PER_TICK = 10;

/** Busy milliseconds per CPU so far, or null where /proc/stat does not exist. */
export function busyMsPerCpu() {
  if (!existsSync('/proc/stat')) return null;
  const busy = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    // Fields: user nice system idle iowait irq softirq steal ...; idle and iowait are not busy.
    const [user, nice, system, , , irq, softirq, steal] = match[2].split(/\s+/).map(Number);
    busy[Number(match[1])] = (user + nice + system + irq + softirq + steal) * MS_PER_TICK;
  }
  return busy;
}

/**
 * Share of `cpu` used by anything but `ownCpuMs` (the process pinned there) over `wallMs`.
 * Tick granularity makes it ±1-2% on a 1 s trial.
 */
export function foreignShare(before, after, cpu, ownCpuMs, wallMs) {
  if (!before || !after || cpu === undefined || before[cpu] === undefined) return null;
  return Math.max(0, (after[cpu] - before[cpu] - ownCpuMs) / wallMs);
}

/**
 * Waits until other processes leave the pinned CPUs mostly alone (each below `maxShare` over a
 * `sampleMs` window, measured while our own processes are idle between trials), or `maxWaitMs`
 * has passed. Returns how long it waited. On a quiet machine that is one sample window.
 */
export async function waitForQuietCpus(cpus, { maxShare = 0.2, sampleMs = 200, maxWaitMs = 10_000 } = {}) {
  const watched = [cpus.server, cpus.generator].filter((cpu) => cpu !== undefined);
  if (watched.length === 0 || !busyMsPerCpu()) return 0;
  const start = performance.now();
  for (;;) {
    const before = busyMsPerCpu();
    await sleep(sampleMs);
    const after = busyMsPerCpu();
    const busiest = Math.max(...watched.map((cpu) => (after[cpu] - before[cpu]) / sampleMs));
    const waited = performance.now() - start;
    if (busiest <= maxShare || waited >= maxWaitMs) return Math.round(waited);
  }
}
