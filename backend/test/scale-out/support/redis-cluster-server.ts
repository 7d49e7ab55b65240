import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { askRedis, RedisProcesses } from './redis-processes.js';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/**
 * A real Redis Cluster of three masters (no replicas) on free ports of 127.0.0.1, as
 * `redis-cli --cluster create` makes it: slots 0-5460, 5461-10922 and 10923-16383. Started by the
 * test, without persistence, and stopped by the nodes' own pids.
 */
export class RedisClusterServer extends RedisProcesses {
  private constructor(readonly ports: number[]) {
    super();
  }

  static async start(masters = 3): Promise<RedisClusterServer> {
    const ports: number[] = [];
    while (ports.length < masters) {
      const port = await freePort();
      // The cluster bus listens on port + 10000: both must be free.
      if (port < 55_000 && !ports.includes(port)) ports.push(port);
    }
    return RedisProcesses.launched(new RedisClusterServer(ports));
  }

  /** What REDIS_CLUSTER_NODES would say. */
  get nodes(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  protected async launch(): Promise<void> {
    for (const port of this.ports) {
      this.spawn(
        [
          ...['--port', String(port), '--bind', '127.0.0.1', '--dir', this.dir],
          ...['--cluster-enabled', 'yes', '--cluster-config-file', join(this.dir, `nodes-${port}.conf`)],
          // Long enough that a node frozen for a test is not failed by the others meanwhile.
          ...['--cluster-node-timeout', '5000', '--appendonly', 'no', '--save', ''],
        ],
        port,
      );
    }
    const everyNode = async (command: string[], answers: (answer: unknown) => boolean) =>
      (await Promise.all(this.ports.map((port) => askRedis(port, ...command)))).every(answers);
    await this.until(() => everyNode(['PING'], (answer) => answer === 'PONG'), 'answer PING');
    await run('redis-cli', [
      ...['--cluster', 'create', ...this.ports.map((port) => `127.0.0.1:${port}`)],
      ...['--cluster-replicas', '0', '--cluster-yes'],
    ]);
    await this.until(
      () => everyNode(['CLUSTER', 'INFO'], (answer) => String(answer).includes('cluster_state:ok')),
      'reach cluster_state:ok on every node',
    );
  }

  /** A client of the whole cluster (keys routed by slot), for tests that look into it. */
  client(): Cluster {
    return new Cluster(this.ports.map((port) => ({ host: '127.0.0.1', port })));
  }
}
