// Cross-site requests and the HTTP edges of the server: which pages may change something over REST
// or open a socket (polling and WebSocket alike, before Socket.IO's CONNECT), bodies too large,
// security headers on Engine.IO's own responses, and no source maps in a production build.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { DEFAULT_STATIC_DIR } from '../src/app.module.js';
import { validateEnv } from '../src/config/env.js';
import { connected, refused, TestServer, uniqueName } from './support/test-app.js';

const EVIL = 'http://evil.example';

let server: TestServer;
let port: number;

beforeAll(async () => {
  server = await TestServer.start({ ALLOWED_ORIGINS: 'HTTPS://Chat.Example.org/' });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server.stop();
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly these headers (fetch would not send a Host of our choosing). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
      );
    });
    // A refused WebSocket upgrade is answered on the raw socket.
    outgoing.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** `POST /api/sessions` as a page would send it. */
function claimFrom(origin: string | undefined, contentType: string, body: string): Promise<RawResponse> {
  return raw(
    'POST',
    '/api/sessions',
    {
      ...(origin === undefined ? {} : { origin }),
      'content-type': contentType,
      'content-length': Buffer.byteLength(body),
    },
    body,
  );
}

const json = (name: string) => JSON.stringify({ name });
const parsed = (response: RawResponse) => JSON.parse(response.body) as { code: string; message: string };

describe('state-changing REST calls from other sites', () => {
  it('refuses a form post from another site, and reserves nothing', async () => {
    const name = uniqueName('victim');
    const response = await claimFrom(EVIL, 'application/x-www-form-urlencoded', `name=${name}`);
    expect(response.status).toBe(403);
    expect(parsed(response)).toEqual({ code: 'FORBIDDEN', message: expect.stringMatching(/other sites/) });
    expect(response.headers['content-security-policy']).toBeDefined();
    // The name is still free.
    expect((await server.claim(name)).user.name).toBe(name);
  });

  it.each([
    ['a form', 'application/x-www-form-urlencoded', (name: string) => `name=${name}`],
    ['a multipart form', 'multipart/form-data; boundary=x', (name: string) => `--x\r\n\r\n${name}\r\n--x--`],
    ['text/plain (what a no-cors fetch may send)', 'text/plain', json],
  ])('refuses %s body with 415 UNSUPPORTED_MEDIA_TYPE, even without an Origin', async (_what, type, body) => {
    const name = uniqueName('formal');
    for (const origin of [undefined, server.url]) {
      const response = await claimFrom(origin, type, body(name));
      expect(response.status).toBe(415);
      expect(parsed(response)).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringMatching(/JSON/),
      });
    }
    expect((await server.claim(name)).user.name).toBe(name);
  });

  it('refuses JSON from another site, from a rebound DNS name, and from an opaque origin', async () => {
    for (const origin of [EVIL, 'null', `http://evil.example:${port}`]) {
      // A DNS-rebinding page sends a Host header that matches its own Origin.
      const response = await raw(
        'POST',
        '/api/sessions',
        { origin, host: new URL(origin === 'null' ? EVIL : origin).host, 'content-type': 'application/json' },
        json(uniqueName('rebound')),
      );
      expect(response.status).toBe(403);
      expect(parsed(response).code).toBe('FORBIDDEN');
    }
  });

  it('accepts JSON from the app’s own page, from a configured origin, and from a client with no Origin', async () => {
    for (const origin of [server.url, `http://localhost:${port}`, 'https://chat.example.org', undefined]) {
      const response = await claimFrom(origin, 'application/json; charset=utf-8', json(uniqueName('ok')));
      expect(response.status).toBe(201);
    }
  });

  it('answers a body over the limit with 413 TOO_LARGE', async () => {
    const response = await claimFrom(undefined, 'application/json', json('x'.repeat(200_000)));
    expect(response.status).toBe(413);
    expect(parsed(response)).toEqual({ code: 'TOO_LARGE', message: expect.any(String) });
  });

  it('takes ALLOWED_ORIGINS as browsers write origins, and stops the start-up on anything else', () => {
    expect(
      validateEnv({ ALLOWED_ORIGINS: 'HTTPS://Chat.Example.org/, http://localhost:8080' }).ALLOWED_ORIGINS,
    ).toEqual(['https://chat.example.org', 'http://localhost:8080']);
    for (const wrong of ['https://chat.example.org/app', 'chat.example.org', '*', 'https://*.example.org']) {
      expect(() => validateEnv({ ALLOWED_ORIGINS: wrong })).toThrow(/ALLOWED_ORIGINS must list origins/);
    }
  });

  it('leaves reads alone: a GET from another site still answers', async () => {
    expect((await raw('GET', '/api/health', { origin: EVIL })).status).toBe(200);
  });
});

describe('the Engine.IO handshake from other sites', () => {
  const polling = '/socket.io/?EIO=4&transport=polling';
  const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': 13 };
  const key = { 'sec-websocket-key': Buffer.alloc(16, 1).toString('base64') };

  it('refuses a polling handshake from another site or a rebound name with 403, before any session', async () => {
    const rebound = { origin: `http://evil.example:${port}`, host: `evil.example:${port}` };
    for (const headers of [{ origin: EVIL }, rebound] as Record<string, string>[]) {
      const response = await raw('GET', polling, headers);
      expect(response.status).toBe(403);
      expect(response.body).toContain('This page is not allowed to connect to Flack.');
      expect(response.body).not.toContain('sid');
    }
  });

  it('opens a polling session for the app’s own page and for a client with no Origin', async () => {
    for (const headers of [{ origin: server.url }, {}] as Record<string, string>[]) {
      const response = await raw('GET', polling, headers);
      expect(response.status).toBe(200);
      expect(response.body).toMatch(/^0\{"sid":/);
    }
  });

  it('refuses a WebSocket upgrade from another site before it is upgraded', async () => {
    const refusedUpgrade = await raw('GET', '/socket.io/?EIO=4&transport=websocket', {
      ...upgrade,
      ...key,
      origin: EVIL,
    });
    expect(refusedUpgrade.status).not.toBe(101);
    const accepted = await raw('GET', '/socket.io/?EIO=4&transport=websocket', {
      ...upgrade,
      ...key,
      origin: server.url,
    });
    expect(accepted.status).toBe(101);
  });

  it('refuses socket.io-client at the transport, not only at CONNECT, even with a valid token', async () => {
    const { token } = await server.claim(uniqueName('dana'));
    const error = await refused(server.socket(token, { origin: EVIL }));
    // Refused before CONNECT: no handshake error data, the WebSocket itself failed.
    expect(error.message).toBe('websocket error');
    expect(error.data).toBeUndefined();
    const socket = await connected(server.socket(token, { origin: 'https://chat.example.org' }));
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});

describe('security headers on Socket.IO’s own responses', () => {
  const SECURITY_HEADERS = [
    'content-security-policy',
    'x-content-type-options',
    'x-frame-options',
    'strict-transport-security',
    'referrer-policy',
    'cross-origin-opener-policy',
  ];

  it('sends on polling responses, refusals included, the headers every other response carries', async () => {
    const expected = await raw('GET', '/api/health', {});
    const opened = await raw('GET', '/socket.io/?EIO=4&transport=polling', {});
    const refusal = await raw('GET', '/socket.io/?EIO=4&transport=polling', { origin: EVIL });
    for (const response of [opened, refusal]) {
      for (const name of SECURITY_HEADERS) {
        expect({ name, value: response.headers[name] }).toEqual({ name, value: expected.headers[name] });
        expect(response.headers[name]).toBeDefined();
      }
    }
  });
});

describe('source maps', () => {
  const angular = JSON.parse(readFileSync(new URL('../../angular.json', import.meta.url), 'utf8')) as {
    projects: Record<
      string,
      { architect: { build: { configurations: Record<string, { sourceMap?: unknown }> } } }
    >;
  };

  it('are off in the production build configuration', () => {
    for (const project of Object.values(angular.projects)) {
      expect(project.architect.build.configurations['production']?.sourceMap).toBe(false);
    }
  });

  // Only a production build (hashed file names) is checked; `npm run dev` writes a development one.
  const index = join(DEFAULT_STATIC_DIR, 'index.html');
  const production = existsSync(index) && /['"]main-[A-Z0-9]+\.js['"]/.test(readFileSync(index, 'utf8'));
  (production ? it : it.skip)('are neither in the served production build nor referenced by it', async () => {
    const files = readdirSync(DEFAULT_STATIC_DIR, { recursive: true }).map(String);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    const scripts = files.filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      const served = await fetch(`${server.url}/${script}`);
      expect(await served.text()).not.toContain('sourceMappingURL');
      const map = await fetch(`${server.url}/${script}.map`);
      expect(await map.text()).not.toMatch(/^\{"version":3/);
    }
  });
});
