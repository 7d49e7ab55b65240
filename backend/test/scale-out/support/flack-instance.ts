import type { ClaimNameResponse } from '@flack/contract';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { LIFTED_RATE_LIMITS, NO_DEFAULT_CHANNELS, type ClientSocket } from '../../support/test-app.js';

export { eventually } from '../../support/test-app.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The built server (`npm run test:redis` builds it first): a real process, so a test can kill it. */
export const MAIN = 'backend/dist/main.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One Flack instance as a child process (`node backend/dist/main.js`), on a free port of
 * 127.0.0.1, configured through its environment as in production.
 */
export class FlackInstance {
  private log = '';
  readonly exited: Promise<Exit>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts the process; does not wait for it to listen (see `start`). */
  static spawn(name: string, env: Record<string, string>): FlackInstance {
    if (!existsSync(`${REPO_ROOT}${MAIN}`)) throw new Error(`${MAIN} is missing: run npm run test:redis`);
    const child = spawn(process.execPath, [MAIN], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...LIFTED_RATE_LIMITS,
        ...NO_DEFAULT_CHANNELS,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new FlackInstance(name, child);
  }

  /** Starts an instance and resolves once it listens. */
  static async start(name: string, env: Record<string, string>): Promise<FlackInstance> {
    const instance = FlackInstance.spawn(name, env);
    await instance.listening();
    return instance;
  }

  url = '';

  get port(): number {
    return Number(new URL(this.url).port);
  }

  get pid(): number {
    return this.child.pid!;
  }

  output(): string {
    return this.log;
  }

  /** Kills it without a chance to clean up, as a crash or an OOM kill would. */
  async kill(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, 'SIGKILL');
    return this.exited;
  }

  /** SIGTERM: the graceful shutdown a deployment does. */
  async stop(): Promise<Exit> {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, 'SIGTERM');
    return this.exited;
  }

  private async listening(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = /Flack is listening on (http:\/\/[\d.]+:\d+)/.exec(this.log);
      if (match) {
        this.url = match[1];
        return;
      }
      if (this.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.kill();
    throw new Error(`instance ${this.name} did not start:\n${this.log}`);
  }
}

export async function post(
  url: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

export async function claim(url: string, name: string): Promise<ClaimNameResponse> {
  const response = await post(url, '/api/sessions', { name });
  if (response.status !== 201)
    throw new Error(`claim ${name}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as ClaimNameResponse;
}

export async function health(url: string): Promise<number> {
  return (await fetch(`${url}/api/health`)).status;
}

/** A socket to `url`, not connected yet, websocket only (as behind a load balancer without stickiness). */
export function socketTo(url: string, token: string): ClientSocket {
  return io(url, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
}
