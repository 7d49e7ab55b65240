// Child processes for the benchmark: pinned to a CPU when `taskset` exists, with an IPC channel,
// and always stopped by the runner (by their own pid, never by name).

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { RpcClient } from './rpc.mjs';

const TASKSET = '/usr/bin/taskset';

/** True when processes can be pinned to CPUs; without it every figure is less comparable. */
export const canPin = (() => {
  try {
    return spawnSync(TASKSET, ['-c', '0', 'true']).status === 0;
  } catch {
    return false;
  }
})();

/** Pins this process and all its threads (so the runner stays off the server's CPU). */
export function pinSelf(cpu) {
  if (canPin) spawnSync(TASKSET, ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

/** A free TCP port on 127.0.0.1: listen on 0, read the port back, close. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <nodeArgs>` on `cpu` (taskset execs node, so the pid and the IPC channel are node's
 * own). Returns the child, an RPC client on its IPC channel, and the tail of its output for errors.
 */
export function spawnNode(name, nodeArgs, { cpu, env = {}, cwd } = {}) {
  const [command, args] =
    canPin && cpu !== undefined
      ? [TASKSET, ['-c', String(cpu), process.execPath, ...nodeArgs]]
      : [process.execPath, nodeArgs];
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, rpc: new RpcClient(child, name), exited, output: () => output };
}

/**
 * Asks the child to exit (so profilers get to write), then SIGTERM, then SIGKILL: a stopped
 * benchmark never leaves a server behind.
 */
export async function stopNode(proc, { graceMs = 3000 } = {}) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exitedWithin = (ms) => Promise.race([proc.exited.then(() => true), sleep(ms).then(() => false)]);
  proc.rpc.request('exit', {}, { timeoutMs: graceMs }).catch(() => {});
  if (await exitedWithin(graceMs)) return;
  proc.child.kill('SIGTERM');
  if (await exitedWithin(graceMs)) return;
  proc.child.kill('SIGKILL');
  await proc.exited;
}

/** Polls `GET path` until it answers 200 or the child dies; the start-up time is the answer. */
export async function waitForHttp(proc, port, path, { timeoutMs = 30_000 } = {}) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${proc.name} exited during start-up:\n${proc.output()}`);
    }
    const status = await new Promise((resolve) => {
      const req = get({ host: '127.0.0.1', port, path, timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', () => resolve(0));
      req.on('timeout', () => req.destroy());
    });
    if (status === 200) return Date.now() - start;
    await sleep(100);
  }
  throw new Error(`${proc.name} did not answer ${path} within ${timeoutMs} ms:\n${proc.output()}`);
}
