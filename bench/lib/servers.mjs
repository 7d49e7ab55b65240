// Starting the servers under test, each the same way: one process, pinned to the server CPU,
// `--expose-gc` and the memory probe preloaded, listening on a free port of 127.0.0.1.

import { fileURLToPath, URL } from 'node:url';
import { freePort, spawnNode, stopNode, waitForHttp } from './processes.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('../memory-probe.mjs', import.meta.url));

export const FLACK_ENTRY = 'backend/dist/main.js';
const BASELINE_ENTRY = 'bench/baseline-server.mjs';
const REST_BASELINE_ENTRY = 'bench/rest-baseline-server.mjs';

/**
 * Flack's flood control, lifted: the benchmark measures throughput, and one generator process
 * sending for hundreds of users from one IP address would otherwise be (rightly) throttled.
 */
export const FLACK_LIMITS_LIFTED = {
  MESSAGE_RATE_PER_SECOND: '1000000',
  MESSAGE_BURST: '1000000',
  CHANNEL_CREATES_PER_MINUTE: '1000000',
  CHANNEL_JOINS_PER_MINUTE: '1000000',
  HISTORY_REQUESTS_PER_MINUTE: '1000000',
  NAME_CLAIMS_PER_MINUTE: '1000000',
  MAX_CHANNELS: '100000',
  MAX_CHANNELS_PER_USER: '100000',
};

const SERVERS = {
  flack: { entry: FLACK_ENTRY, env: { LOG_LEVEL: 'silent', ...FLACK_LIMITS_LIFTED } },
  baseline: { entry: BASELINE_ENTRY, env: {} },
  'rest-baseline': { entry: REST_BASELINE_ENTRY, env: {} },
};

/**
 * Starts one server and waits until it answers. `measure()` reads memory after GC, `cpu()` reads
 * CPU time, both through the probe.
 * @param {'flack' | 'baseline' | 'rest-baseline'} kind
 */
export async function startServer(kind, { cpu, env = {}, cpuProfileDir } = {}) {
  const server = SERVERS[kind];
  const port = await freePort();
  const nodeArgs = ['--expose-gc', '--import', PROBE];
  if (cpuProfileDir) {
    nodeArgs.push(
      '--cpu-prof',
      '--cpu-prof-dir',
      cpuProfileDir,
      '--cpu-prof-name',
      `${kind}-${Date.now()}.cpuprofile`,
    );
  }
  nodeArgs.push(server.entry);
  const proc = spawnNode(kind, nodeArgs, {
    cpu,
    cwd: REPO_ROOT,
    // Same for both: production mode, the loopback interface, the port picked above.
    env: { NODE_ENV: 'production', ...server.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  try {
    const startupMs = await waitForHttp(proc, port, '/api/channels');
    return {
      kind,
      port,
      pid: proc.child.pid,
      startupMs,
      measure: () => proc.rpc.request('measure'),
      cpu: () => proc.rpc.request('cpu'),
      output: proc.output,
      stop: () => stopNode(proc),
    };
  } catch (error) {
    await stopNode(proc);
    throw error;
  }
}
