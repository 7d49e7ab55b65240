// Claiming sessions over REST and opening sockets for them, in bounded parallel batches: both
// servers see the same requests in the same order, and neither is flooded during setup.

import { Buffer } from 'node:buffer';
import { Agent, request } from 'node:http';
import { SocketIoWsClient, socketUrl } from './socket-io-ws-client.mjs';

/** Runs `task` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit(items, limit, task) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A small HTTP client on a keep-alive agent; resolves `{ status, headers, body }` (body as a string). */
export function httpRequest(agent, port, method, path, json) {
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method,
        path,
        headers:
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `POST /api/sessions` for each name; resolves the `{ token, user }` answers in order. */
export async function claimSessions(port, names, { concurrency = 16 } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    return await mapLimit(names, concurrency, async (name) => {
      const response = await httpRequest(agent, port, 'POST', '/api/sessions', { name });
      if (response.status !== 201) {
        throw new Error(`POST /api/sessions for "${name}" answered ${response.status}: ${response.body}`);
      }
      return JSON.parse(response.body);
    });
  } finally {
    agent.destroy();
  }
}

/** Opens one socket per session, authenticated with its token. */
export function connectSockets(port, sessions, { concurrency = 100 } = {}) {
  const url = socketUrl(port);
  return mapLimit(sessions, concurrency, (session) =>
    SocketIoWsClient.connect(url, { token: session.token }),
  );
}

/** Resolves an ack's data, or throws with the server's error code and message. */
export async function expectOk(ackPromise, what) {
  const response = await ackPromise;
  if (!response?.ok) throw new Error(`${what} failed: ${JSON.stringify(response?.error ?? response)}`);
  return response.data;
}
