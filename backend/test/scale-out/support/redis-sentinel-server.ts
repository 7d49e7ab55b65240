import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { askRedis, RedisProcesses } from './redis-processes.js';
import { freePort } from './redis-server.js';

/** The master group the sentinel watches (REDIS_SENTINEL_NAME's default). */
export const SENTINEL_NAME = 'mymaster';

/**
 * A master, one replica and one sentinel watching them (quorum 1), on free ports of 127.0.0.1,
 * without persistence: enough to connect through Sentinel and to fail over. Started by the test
 * and stopped by their own pids.
 */
export class RedisSentinelServer extends RedisProcesses {
  private constructor(private readonly ports: { master: number; replica: number; sentinel: number }) {
    super();
  }

  static async start(): Promise<RedisSentinelServer> {
    const [master, replica, sentinel] = [await freePort(), await freePort(), await freePort()];
    return RedisProcesses.launched(new RedisSentinelServer({ master, replica, sentinel }));
  }

  /** What REDIS_SENTINELS would say. */
  get sentinels(): string {
    return `127.0.0.1:${this.ports.sentinel}`;
  }

  protected async launch(): Promise<void> {
    // No 5 s wait before a full sync (repl-diskless-sync-delay), at the start and after a failover.
    const node = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir];
    node.push('--repl-diskless-sync-delay', '0');
    const { master, replica, sentinel } = this.ports;
    this.spawn(['--port', String(master), ...node], master);
    this.spawn(['--port', String(replica), '--replicaof', '127.0.0.1', String(master), ...node], replica);
    // In sync before the sentinel starts, so that its first look at the master finds the replica
    // (it looks again only every 10 s).
    await this.until(
      async () => String(await askRedis(replica, 'INFO', 'replication')).includes('master_link_status:up'),
      'have the replica in sync',
    );
    const config = join(this.dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `port ${sentinel}`,
        'bind 127.0.0.1',
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${master} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        '',
      ].join('\n'),
    );
    this.spawn([config, '--sentinel'], sentinel);
    await this.until(async () => {
      const replicas = await askRedis(sentinel, 'SENTINEL', 'REPLICAS', SENTINEL_NAME);
      return Array.isArray(replicas) && replicas.length === 1;
    }, 'have the replica known to the sentinel');
  }

  /** The port of the current master, as the sentinel says. */
  async masterPort(): Promise<number> {
    const address = await askRedis(this.ports.sentinel, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME);
    return Number((address as string[] | undefined)?.[1]);
  }

  /** Makes the sentinel promote the replica now; resolves with the new master's port once it serves. */
  async failover(): Promise<number> {
    const before = await this.masterPort();
    await askRedis(this.ports.sentinel, 'SENTINEL', 'FAILOVER', SENTINEL_NAME);
    let after = before;
    await this.until(async () => {
      after = await this.masterPort();
      return after !== before && String(await askRedis(after, 'INFO', 'replication')).includes('role:master');
    }, 'fail over');
    return after;
  }
}
