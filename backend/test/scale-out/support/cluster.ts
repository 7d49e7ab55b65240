import type { ClaimNameResponse } from '@flack/contract';
import { connected, TestUser, uniqueName, type ClientSocket } from '../../support/test-app.js';
import { claim, FlackInstance, socketTo } from './flack-instance.js';
import { RedisClusterServer } from './redis-cluster-server.js';
import { RedisServer } from './redis-server.js';
import { TcpBalancer } from './tcp-balancer.js';

/** Short, so that releasing names can be watched within a test. */
export const RESERVATION_SECONDS = 3;
/** Short too: presence and typing changes within a test. */
export const PRESENCE_GRACE_MS = 500;
export const TYPING_TIMEOUT_MS = 1500;

/**
 * Three Flack processes (a, b, c) sharing one real redis-server, and a round-robin balancer in
 * front of them. One per spec file: `beforeAll(() => cluster.start())`, `afterAll(() => cluster.stop())`.
 */
export class Cluster {
  redis!: RedisServer;
  /** With `start({ redisCluster: true })`: the 3-master Redis Cluster instead of `redis`. */
  redisCluster?: RedisClusterServer;
  a!: FlackInstance;
  b!: FlackInstance;
  c!: FlackInstance;
  balancer!: TcpBalancer;
  private readonly sockets: ClientSocket[] = [];

  /** `redisCluster`: the instances share a real 3-master Redis Cluster (REDIS_CLUSTER_NODES) instead. */
  async start({ redisCluster = false } = {}): Promise<this> {
    let store: Record<string, string>;
    if (redisCluster) {
      this.redisCluster = await RedisClusterServer.start();
      store = { REDIS_CLUSTER_NODES: this.redisCluster.nodes };
    } else {
      this.redis = await RedisServer.start();
      store = { REDIS_URL: this.redis.url };
    }
    const env = {
      ...store,
      NAME_RESERVATION_SECONDS: String(RESERVATION_SECONDS),
      PRESENCE_GRACE_MS: String(PRESENCE_GRACE_MS),
      TYPING_TIMEOUT_MS: String(TYPING_TIMEOUT_MS),
    };
    [this.a, this.b, this.c] = await Promise.all(
      ['a', 'b', 'c'].map((name) => FlackInstance.start(name, env)),
    );
    this.balancer = await TcpBalancer.start(() => [this.a, this.b, this.c].map((instance) => instance.port));
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.disconnect();
    await this.balancer?.close();
    await Promise.all([this.a, this.b, this.c].map((instance) => instance?.kill()));
    await this.redis?.destroy();
    await this.redisCluster?.destroy();
  }

  /** Keeps a socket to disconnect when the cluster stops. */
  readonly open = (socket: ClientSocket): ClientSocket => {
    this.sockets.push(socket);
    return socket;
  };

  /** Claims a name on one instance and connects a socket to it. */
  readonly userOn = async (instance: FlackInstance, name = uniqueName('user')): Promise<TestUser> =>
    this.tabOn(instance, await claim(instance.url, name));

  /** One more tab of a session, connected to `instance`. */
  readonly tabOn = async (instance: FlackInstance, session: ClaimNameResponse): Promise<TestUser> =>
    new TestUser(session, await connected(this.open(socketTo(instance.url, session.token))));
}
