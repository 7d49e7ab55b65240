import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/** How long the three nodes get to start, join and agree that every slot is served. */
const READY_WITHIN_MS = 20_000;

/**
 * A real Redis Cluster of three masters (no replicas) on free ports of 127.0.0.1, as
 * `redis-cli --cluster create` makes it: slots 0-5460, 5461-10922 and 10923-16383. Started by the
 * test, without persistence, and stopped by the nodes' own pids.
 */
export class RedisClusterServer {
  private readonly processes: ChildProcess[] = [];
  private readonly dir = mkdtempSync(join(tmpdir(), 'flack-redis-cluster-'));

  private constructor(readonly ports: number[]) {}

  static async start(masters = 3): Promise<RedisClusterServer> {
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      // The cluster bus listens on port + 10000: both must be free.
      if (port < 55_000 && !ports.includes(port)) ports.push(port);
    }
    const server = new RedisClusterServer(ports);
    try {
      await server.launch();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  /** What REDIS_CLUSTER_NODES would say. */
  get nodes(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  private async launch(): Promise<void> {
    for (const port of this.ports) {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(this.dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--appendonly',
          'no',
          '--save',
          '',
          '--dir',
          this.dir,
        ],
        { stdio: 'ignore' },
      );
      this.processes.push(child);
    }
    await this.until(async () => {
      for (const port of this.ports) if ((await this.info(port, 'PING')) !== 'PONG') return false;
      return true;
    }, 'answer PING');
    await run('redis-cli', [
      '--cluster',
      'create',
      ...this.ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await this.until(async () => {
      for (const port of this.ports) {
        if (!String(await this.info(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
      }
      return true;
    }, 'reach cluster_state:ok');
  }

  /** One command to one node, on a connection of its own; undefined if it does not answer. */
  private async info(port: number, ...command: string[]): Promise<unknown> {
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

  private async until(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (let waited = 0; waited < READY_WITHIN_MS; waited += 100) {
      if (this.processes.some((child) => child.exitCode !== null)) throw new Error('a cluster node exited');
      if (await condition()) return;
      await sleep(100);
    }
    throw new Error(`the Redis Cluster did not ${what} within ${READY_WITHIN_MS} ms`);
  }

  /** A client of the whole cluster (keys routed by slot), for tests that look into it. */
  client(): Cluster {
    return new Cluster(this.ports.map((port) => ({ host: '127.0.0.1', port })));
  }

  /** SIGTERM to each node's pid; resolves once all are gone, then deletes their folder. */
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
