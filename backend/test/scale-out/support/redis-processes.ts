import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** How long a set of Redis processes gets to reach the state a test needs (started, joined, in sync). */
const READY_WITHIN_MS = 20_000;

/** One command to the Redis on `port`, on a connection of its own; undefined if it does not answer. */
export async function askRedis(port: number, ...command: string[]): Promise<unknown> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(command[0]!, ...command.slice(1));
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/**
 * Several redis-server processes started by a test (a Cluster's nodes, a master with its replica
 * and sentinel), with a temporary folder for their files; stopped by their own pids.
 */
export abstract class RedisProcesses {
  private readonly processes: ChildProcess[] = [];
  private readonly byPort = new Map<number, ChildProcess>();
  protected readonly dir = mkdtempSync(join(tmpdir(), 'flack-redis-'));

  protected spawn(args: string[], port: number): void {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.processes.push(child);
    this.byPort.set(port, child);
  }

  /** SIGSTOP to the process on `port`: it keeps its connections but answers nothing (a hung node). */
  freeze(port: number): void {
    process.kill(this.byPort.get(port)!.pid!, 'SIGSTOP');
  }

  /** SIGCONT after `freeze`: it answers again, everything queued meanwhile included. */
  thaw(port: number): void {
    process.kill(this.byPort.get(port)!.pid!, 'SIGCONT');
  }

  /** Polls `condition` until it holds; fails if it does not in time, or if a process exited. */
  protected async until(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (let waited = 0; waited < READY_WITHIN_MS; waited += 100) {
      if (this.processes.some((child) => child.exitCode !== null)) throw new Error('a Redis process exited');
      if (await condition()) return;
      await sleep(100);
    }
    throw new Error(`Redis did not ${what} within ${READY_WITHIN_MS} ms`);
  }

  /** Starts the processes (`launch`); if that fails, stops whatever had started before throwing. */
  protected static async launched<T extends RedisProcesses>(server: T): Promise<T> {
    try {
      await server.launch();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  /** Spawns the processes and waits until they serve. */
  protected abstract launch(): Promise<void>;

  /** SIGTERM to each pid; resolves once all are gone, then deletes their folder. */
  async destroy(): Promise<void> {
    await Promise.all(
      this.processes.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
