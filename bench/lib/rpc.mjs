// Request/response over a child process's IPC channel: the runner asks, the child (a server's
// memory probe or the load generator) answers. Every request carries an id so answers can come
// back in any order.

import { setTimeout, clearTimeout } from 'node:timers';

/** In the child: answers `{ id, type, args }` with `{ id, result }` or `{ id, error }`. */
export function serveRpc(handlers) {
  process.on('message', async (request) => {
    if (typeof request?.id !== 'number' || typeof request.type !== 'string') return;
    const handler = handlers[request.type];
    try {
      if (!handler) throw new Error(`unknown request ${request.type}`);
      const result = await handler(request.args ?? {});
      process.send({ id: request.id, result });
    } catch (error) {
      process.send({ id: request.id, error: error instanceof Error ? error.stack : String(error) });
    }
  });
}

/** In the runner: sends requests to one child and resolves their answers. */
export class RpcClient {
  #child;
  #nextId = 1;
  #pending = new Map();

  constructor(child, name) {
    this.#child = child;
    this.name = name;
    child.on('message', (message) => {
      const pending = this.#pending.get(message?.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`${this.name}: ${message.error}`));
      else pending.resolve(message.result);
    });
    child.on('exit', (code, signal) => {
      for (const pending of this.#pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`${this.name} exited (${signal ?? code}) before answering`));
      }
      this.#pending.clear();
    });
  }

  request(type, args = {}, { timeoutMs = 120_000 } = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.send({ id, type, args });
    });
  }
}
