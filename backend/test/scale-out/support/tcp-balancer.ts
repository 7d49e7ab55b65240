import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A round-robin TCP load balancer on 127.0.0.1, as a deployment would put in front of the
 * instances: each connection goes to the next backend that accepts it, so when an instance dies
 * its clients' reconnects land on the others. WebSocket only needs the bytes passed through.
 */
export class TcpBalancer {
  private next = 0;
  private readonly open = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** `backends` is asked on every connection, so a test can change the pool. */
  static start(backends: () => number[]): Promise<TcpBalancer> {
    let balancer: TcpBalancer;
    const server = createServer((client) => balancer.route(client, backends()));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        balancer = new TcpBalancer(server, typeof address === 'object' && address ? address.port : 0);
        resolve(balancer);
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private route(client: Socket, ports: number[], attempt = 0): void {
    if (attempt === 0) {
      this.track(client);
      client.on('error', () => client.destroy());
    }
    if (attempt >= ports.length || client.destroyed) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: ports[this.next++ % ports.length] });
    this.track(upstream);
    let connected = false;
    upstream.on('error', () => {
      // Refused (the instance is down): try the next one.
      if (!connected) this.route(client, ports, attempt + 1);
      upstream.destroy();
    });
    upstream.once('connect', () => {
      connected = true;
      // Either side going away (an instance killed, a client gone) closes the other.
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  private track(socket: Socket): void {
    if (this.open.has(socket)) return;
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
  }
}
