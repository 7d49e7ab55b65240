// Starts and stops the built Flack server (`node backend/dist/main.js`) as a child process.
// The global setup uses it for the server all specs share; a spec that needs a server of its own
// (a clean channel list, a restart) calls startServer() itself and stopServer() when done.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const repoRoot = path.resolve(__dirname, '..', '..');
const serverEntry = path.join(repoRoot, 'backend', 'dist', 'main.js');
const defaultStaticDir = path.join(repoRoot, 'frontend', 'dist', 'browser');
const logDir = path.join(repoRoot, 'e2e', 'artifacts', 'server-logs');

/**
 * How long the shared server (global-setup.ts) keeps someone online after their last tab closed:
 * shorter than production's 5 s, so e2e/presence.spec.ts waits it out faster, and still above what
 * a reload takes on a loaded CI machine (1-2 s), during which that spec checks nobody flickers.
 */
export const SHARED_PRESENCE_GRACE_MS = 3_000;

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the server wrote to stdout and stderr. */
  readonly logFile: string;
}

export interface StartServerOptions {
  /** A label for the log file name. */
  name?: string;
  /** Reuse a port, e.g. to restart a server where its clients expect it. Default: a free one. */
  port?: number;
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
}

/** Asks the OS for a port nobody listens on (random ports in 20000-40000 are often busy here). */
export async function findFreePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not read the probe port');
  return address.port;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const staticDir = options.env?.STATIC_DIR ?? process.env.STATIC_DIR ?? defaultStaticDir;
  for (const [file, hint] of [
    [serverEntry, 'the backend'],
    [path.join(staticDir, 'index.html'), 'the Angular app'],
  ]) {
    if (!existsSync(file)) {
      throw new Error(`${path.relative(repoRoot, file)} is missing: build ${hint} first (npm run build).`);
    }
  }
  // The port can be taken between the probe and the server's listen(); try again on a fresh one.
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await launch(options.port ?? (await findFreePort()), options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** SIGTERM (the server shuts down gracefully and tells its clients), SIGKILL if it takes too long. */
export async function stopServer(server: RunningServer, timeoutMs = 5_000): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit').then(() => 'exited' as const);
  const giveUp = new AbortController();
  const timer = delay(timeoutMs, 'timeout' as const, { signal: giveUp.signal }).catch(
    () => 'exited' as const,
  );
  child.kill('SIGTERM');
  const outcome = await Promise.race([exited, timer]);
  giveUp.abort();
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

async function launch(port: number, options: StartServerOptions): Promise<RunningServer> {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${options.name ?? 'server'}-${port}.log`);
  const logFd = openSync(logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  // Same-origin pages are allowed by default; a stray list from the shell would change that.
  delete env.ALLOWED_ORIGINS;
  // No #general unless a spec asks (e2e/default-channel.spec.ts): the specs share one server, and
  // each expects to start in no channel. `env: { DEFAULT_CHANNELS: undefined }` gives the default.
  env.DEFAULT_CHANNELS = '';
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child = spawn(process.execPath, [serverEntry], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const server: RunningServer = { url: `http://127.0.0.1:${port}`, port, child, logFile };
  try {
    await waitUntilReady(server, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

async function waitUntilReady(server: RunningServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const { child } = server;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const how = child.exitCode ?? child.signalCode;
      throw new Error(`the server exited (${how}) before it was ready:\n${logTail(server)}`);
    }
    try {
      const health = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(1_000) });
      if (health.ok) {
        const app = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(2_000) });
        if (!app.ok) throw new Error(`GET / answered ${app.status}: is the Angular app being served?`);
        return;
      }
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('GET /')) throw error;
      // Not listening yet.
    }
    await delay(100);
  }
  throw new Error(
    `GET ${server.url}/api/health did not answer 200 within ${timeoutMs} ms:\n${logTail(server)}`,
  );
}

function logTail(server: RunningServer, lines = 30): string {
  try {
    return readFileSync(server.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
