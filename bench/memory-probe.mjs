// Preloaded into both servers (`node --expose-gc --import ./bench/memory-probe.mjs <entry>`), so
// the runner can read heap, RSS and CPU time from inside the process without adding an endpoint to
// Flack. It answers over the IPC channel the runner opened, and only there.

import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';
import { serveRpc } from './lib/rpc.mjs';

// Without an IPC channel (someone started the server by hand) the probe stays out of the way.
if (process.send) {
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
    /** CPU time and event-loop utilisation so far; no GC, so reading it costs the server nothing. */
    cpu() {
      return { cpu: process.cpuUsage(), eventLoop: performance.eventLoopUtilization() };
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
