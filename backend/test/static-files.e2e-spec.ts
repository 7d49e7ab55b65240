// The page on the wire: the built app served precompressed (br, gzip) by Accept-Encoding, hashed
// files cached for a year and index.html revalidated, robots.txt, a 404 for a missing file where
// the app's routes get index.html, conditional and HEAD requests, and nothing outside the folder.
// Runs over a small build of its own (a temporary folder), precompressed by the real build step.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { IMMUTABLE } from '../src/web/static-files.js';
import { TestServer } from './support/test-app.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'outside-the-build-secret';
const MAIN = 'main-AB12CD34.js';
const CHUNK = 'chunk-ZX98YW76.js';
const STYLES = 'styles-QWER5678.css';
const LOGO = 'media/logo-PNG12345.png';
const mainCode = `export const greeting = ${JSON.stringify('hello '.repeat(400))};\n`.repeat(4);
const indexHtml = (version: string): string =>
  `<!doctype html><html><head><title>Flack ${version}</title><link rel="stylesheet" href="${STYLES}">` +
  `<script>window.booted = 1;</script></head><body><app-root></app-root>` +
  `<script src="${MAIN}" type="module"></script>${'<!-- padding -->'.repeat(40)}</body></html>`;

let root: string;
let dist: string;
let server: TestServer;
let port: number;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'flack-web-'));
  dist = join(root, 'browser');
  mkdirSync(join(dist, 'media'), { recursive: true });
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(dist, 'index.html'), indexHtml('1'));
  writeFileSync(join(dist, MAIN), mainCode);
  writeFileSync(join(dist, CHUNK), `export const chunk = ${JSON.stringify('lazy '.repeat(300))};\n`);
  writeFileSync(join(dist, STYLES), 'body { margin: 0; color: #123456; }\n'.repeat(50));
  writeFileSync(join(dist, LOGO), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  copyRobots();
  // A name like a hash that the builder did not give: a file of public/, revalidated like index.html.
  writeFileSync(join(dist, 'site-manifest.json'), '{"name":"Flack"}');
  // The chunk optimizer's hashes have lower case, `-` and `_`.
  writeFileSync(join(dist, 'chunk-B_8ot2-t.js'), 'export {};');
  // A link out of the folder is not a file of the build.
  symlinkSync(join(root, 'secret.txt'), join(dist, 'linked-secret.txt'));
  execFileSync(process.execPath, [join(repoRoot, 'frontend/scripts/precompress.mjs'), dist]);
  // A brotli copy left over from another version of the file.
  writeFileSync(join(dist, `${STYLES}.br`), brotliCompressSync('body { color: red; }'));
  server = await TestServer.start({ STATIC_DIR: dist });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

function copyRobots(): void {
  writeFileSync(join(dist, 'robots.txt'), readFileSync(join(repoRoot, 'frontend/public/robots.txt')));
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One request with exactly these headers and this path, byte for byte (fetch would normalise both). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };

/** The body as the browser reads it, after undoing the coding the response names. */
function decoded(response: RawResponse): string {
  const coding = response.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(response.body).toString('utf8');
  if (coding === 'gzip') return gunzipSync(response.body).toString('utf8');
  expect(coding).toBeUndefined();
  return response.body.toString('utf8');
}

describe('the build step', () => {
  it('writes a smaller brotli and gzip copy beside each text file, and none beside an image', () => {
    for (const file of ['index.html', MAIN, CHUNK, 'robots.txt']) {
      const size = readFileSync(join(dist, file)).length;
      expect(brotliDecompressSync(readFileSync(join(dist, `${file}.br`))).length).toBe(size);
      expect(gunzipSync(readFileSync(join(dist, `${file}.gz`))).length).toBe(size);
    }
    expect(readFileSync(join(dist, `${MAIN}.br`)).length).toBeLessThan(
      readFileSync(join(dist, MAIN)).length / 4,
    );
    expect(existsSync(join(dist, `${LOGO}.br`))).toBe(false);
  });
});

describe('content coding', () => {
  it('sends a browser the brotli copy of a hashed file, cached for a year', async () => {
    const response = await get(`/${MAIN}`, BROWSER);
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['vary']).toBe('Accept-Encoding');
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(mainCode.length / 4);
    expect(decoded(response)).toBe(mainCode);
  });

  it.each([
    ['gzip, deflate', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.4, br;q=0.9', 'br'],
    ['GZIP;Q=1, BR;Q=1', 'br'],
    ['x-gzip', 'gzip'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['gzip, identity;q=0', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['deflate, zstd', undefined],
    ['', undefined],
    ['br;q=oops, gzip', 'gzip'],
  ])('Accept-Encoding "%s" gets %s', async (acceptEncoding, coding) => {
    const response = await get(`/${MAIN}`, { 'accept-encoding': acceptEncoding });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(coding);
    expect(response.headers['vary']).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(decoded(response)).toBe(mainCode);
  });

  it('never sends a copy that is not of these bytes', async () => {
    const response = await get(`/${STYLES}`, BROWSER);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(decoded(response)).toBe(readFileSync(join(dist, STYLES), 'utf8'));
  });

  it('sends the file as it is to a client that names no coding', async () => {
    const response = await get(`/${MAIN}`);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString()).toBe(mainCode);
  });

  it('answers 406 when every coding the file has is refused', async () => {
    expect((await get(`/${MAIN}`, { 'accept-encoding': 'identity;q=0' })).status).toBe(406);
    expect((await get(`/${MAIN}`, { 'accept-encoding': 'br;q=0, gzip;q=0, *;q=0' })).status).toBe(406);
    // An image has no compressed copy: refusing identity leaves nothing.
    expect((await get(`/${LOGO}`, { 'accept-encoding': 'gzip, identity;q=0' })).status).toBe(406);
  });

  it('caches for a year only the files the builder named by their hash', async () => {
    for (const [path, cache] of [
      [`/${MAIN}`, IMMUTABLE],
      [`/${STYLES}`, IMMUTABLE],
      ['/chunk-B_8ot2-t.js', IMMUTABLE],
      [`/${LOGO}`, IMMUTABLE],
      ['/site-manifest.json', 'no-cache'],
      ['/robots.txt', 'no-cache'],
      ['/index.html', 'no-cache'],
    ]) {
      const response = await get(path, BROWSER);
      expect({ path, status: response.status, cache: response.headers['cache-control'] }).toEqual({
        path,
        status: 200,
        cache,
      });
    }
    expect((await get('/site-manifest.json')).headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect((await get(`/${STYLES}`)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves an image as it is, with its type', async () => {
    const response = await get(`/${LOGO}`, BROWSER);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    expect(response.body.length).toBe(11);
  });
});

describe('index.html and the app routes', () => {
  it.each([
    '/',
    '/index.html',
    '/login',
    '/c/general',
    '/c/v1.2',
    '/c/a%2Fb.js',
    '/some/deep/route',
    '/login?next=%2Fc%2Fx',
  ])('%s answers index.html, revalidated on every visit', async (path) => {
    const response = await get(path, BROWSER);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['etag']).toMatch(/^"[\w-]+"$/);
    expect(response.headers['last-modified']).toMatch(/GMT$/);
    expect(decoded(response)).toBe(indexHtml('1'));
  });

  it('answers 304 for the copy the browser has, per coding', async () => {
    const first = await get('/c/general', BROWSER);
    const etag = String(first.headers['etag']);
    const again = await get('/c/general', { ...BROWSER, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['etag']).toBe(etag);
    expect(again.headers['cache-control']).toBe('no-cache');
    // The brotli copy's tag does not stand for the gzip bytes.
    const gzip = await get('/c/general', { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(gzip.status).toBe(200);
    expect(gzip.headers['etag']).not.toBe(etag);
    expect(decoded(gzip)).toBe(indexHtml('1'));
    expect((await get(`/${MAIN}`, { ...BROWSER, 'if-none-match': `"other", W/${etag}` })).status).toBe(200);
    const main = await get(`/${MAIN}`, BROWSER);
    const weak = await get(`/${MAIN}`, {
      ...BROWSER,
      'if-none-match': `"other", W/${String(main.headers['etag'])}`,
    });
    expect(weak.status).toBe(304);
    const since = await get(`/${MAIN}`, {
      ...BROWSER,
      'if-modified-since': String(main.headers['last-modified']),
    });
    expect(since.status).toBe(304);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const full = await get(`/${MAIN}`, BROWSER);
    const head = await get(`/${MAIN}`, BROWSER, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of [
      'content-length',
      'content-type',
      'content-encoding',
      'etag',
      'cache-control',
      'vary',
    ]) {
      expect({ name, value: head.headers[name] }).toEqual({ name, value: full.headers[name] });
    }
    const route = await get('/login', BROWSER, 'HEAD');
    expect(route.status).toBe(200);
    expect(route.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('files that are not there', () => {
  it('serves robots.txt as text', async () => {
    const response = await get('/robots.txt', BROWSER);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(decoded(response)).toMatch(/^User-agent: \*$/m);
  });

  it.each([
    '/main-OLDHASH1.js',
    '/favicon.ico',
    '/sitemap.xml',
    '/media/gone',
    '/assets/x',
    '/wp-login.php',
    '/c/general/x.js',
  ])('%s is a 404, not the app', async (path) => {
    const response = await get(path, BROWSER);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body.toString()).not.toContain('<html');
  });

  it('leaves /api and /socket.io to the server', async () => {
    expect(await server.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await server.get('/api/nothing-here')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await server.get('/api')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const polling = await get('/socket.io/?EIO=4&transport=polling');
    expect(polling.status).toBe(200);
    expect(polling.body.toString()).toMatch(/^0\{"sid"/);
    expect((await get('/socket.io/x.js', BROWSER)).body.toString()).not.toContain('<html');
  });

  it('never serves a file outside the build, however the path is spelled', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/media/..%2f..%2fsecret.txt',
      '/c/..%2f..%2fsecret.txt',
      '/%252e%252e/secret.txt',
      `/${MAIN}%00.html`,
      '/index.html%00',
      '/%00',
      '/%',
      '/%E0%A4%A',
      '/linked-secret.txt',
      `//${join(root, 'secret.txt')}`,
    ];
    for (const path of attempts) {
      const response = await get(path, BROWSER);
      expect({ path, status: response.status }).toEqual({ path, status: expect.any(Number) });
      expect({ path, leaked: decoded(response).includes(SECRET) }).toEqual({ path, leaked: false });
      if (response.status === 200)
        expect({ path, body: decoded(response) }).toEqual({ path, body: indexHtml('1') });
    }
    expect((await get('/%2e%2e/secret.txt', BROWSER)).status).toBe(400);
    expect((await get('/index.html%00', BROWSER)).status).toBe(400);
    expect((await get('/linked-secret.txt', BROWSER)).status).toBe(404);
  });
});

describe('security headers', () => {
  it('come with every static response: the page, a script, a 404', async () => {
    const expected = await fetch(`${server.url}/api/health`);
    const csp = expected.headers.get('content-security-policy') ?? '';
    // The header policy allows the build's own inline script by its hash, as the page's does.
    expect(csp).toMatch(/script-src 'self' 'sha256-[\w+/=]+'/);
    for (const path of ['/login', `/${MAIN}`, '/robots.txt', '/main-OLDHASH1.js']) {
      const response = await get(path, BROWSER);
      expect({ path, csp: response.headers['content-security-policy'] }).toEqual({ path, csp });
      expect({ path, nosniff: response.headers['x-content-type-options'] }).toEqual({
        path,
        nosniff: 'nosniff',
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });
});

// Last: it changes the build the other tests read.
describe('a new build', () => {
  it('is served once index.html changes, as `ng build --watch` rewrites it', async () => {
    writeFileSync(join(dist, 'index.html'), indexHtml('2'));
    rmSync(join(dist, 'index.html.br'));
    rmSync(join(dist, 'index.html.gz'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dist, 'index.html'), later, later);
    const response = await get('/login', BROWSER);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(decoded(response)).toBe(indexHtml('2'));
    // A chunk the build writes after index.html is found too.
    writeFileSync(join(dist, 'chunk-NEW12345.js'), 'export const late = 1;');
    const late = await get('/chunk-NEW12345.js', BROWSER);
    expect(late.status).toBe(200);
    expect(late.body.toString()).toBe('export const late = 1;');
  });
});
