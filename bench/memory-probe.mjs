// Preloaded into both servers (`node --expose-gc --import ./bench/memory-probe.mjs <entry>`), so
// the runner can read heap, RSS and CPU time from inside the process without adding an endpoint to
// Flack. It answers over the IPC channel the runner opened, and only there.

import { performance, PerformanceObserver } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { serveRpc } from './lib/rpc.mjs';

// Without an IPC channel (someone started the server by hand) the probe stays out of the way.
if (process.send) {
  // The longest garbage-collection pause since the last `cpu()` reading (issue 15: none over 20 ms).
  let longestGcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGcMs = Math.max(longestGcMs, entry.duration);
  }).observe({ entryTypes: ['gc'] });
  serveRpc({
    /** Memory after full GCs: several passes, so objects freed by finalizers are gone too. */
    async measure() {
      if (typeof globalThis.gc !== 'function') throw new Error('start the server with --expose-gc');
      for (let pass = 0; pass < 4; pass++) {
        globalThis.gc();
        await new Promise((resolve) => setImmediate(resolve));
      }
      return { memory: process.memoryUsage(), cpu: process.cpuUsage() };
    },
    /**
     * CPU time and event-loop utilisation so far, and the longest GC pause since the previous
     * reading; no GC, so reading it costs the server nothing.
     */
    cpu() {
      const gc = longestGcMs;
      longestGcMs = 0;
      return { cpu: process.cpuUsage(), eventLoop: performance.eventLoopUtilization(), longestGcMs: gc };
    },
    /** A normal exit, so `--cpu-prof` gets to write its profile (a signal would skip that). */
    exit() {
      setImmediate(() => process.exit(0));
      return null;
    },
  });
  // The IPC channel alone must not keep a server alive that has finished on its own.
  process.channel?.unref();
}
