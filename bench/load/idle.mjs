// The idle scenario's load: many users, each with one open socket that does nothing but answer
// pings. What the server holds per connection is read by the runner through the memory probe.

import { claimSessions, connectSockets } from './sessions.mjs';

export class IdleLoad {
  #sessions = [];
  #clients = [];

  constructor({ port, connections }) {
    Object.assign(this, { port, connections });
  }

  /** Sessions first, sockets later, so the runner can tell session state from socket state. */
  async claim() {
    const names = Array.from({ length: this.connections }, (_, i) => `idle${i}`);
    this.#sessions = await claimSessions(this.port, names);
    return { sessions: this.#sessions.length };
  }

  async connect() {
    // Wide batches: each handshake is small, and 10,000 one by one would take most of the budget.
    this.#clients = await connectSockets(this.port, this.#sessions, { concurrency: 250 });
    return { connected: this.#clients.filter((client) => client.connected).length };
  }

  close() {
    for (const client of this.#clients) client.close();
    this.#clients = [];
  }
}
