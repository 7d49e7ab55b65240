// The page on the wire: what a real Chromium downloads for the login page and a channel page,
// on a cold visit (empty cache) and a warm one (the same browser again): before the first paint,
// on the critical path (the document, its stylesheet, the initial scripts), before the first
// contentful paint (the form or the channel drawn), and in all until the network settles. Bytes
// are Chromium's own count (CDP `Network.loadingFinished` encodedDataLength: headers and body as
// received, compressed). Also says whether the socket.io chunk stayed out of the initial bundle.
//
//   node frontend/scripts/measure-first-visit.mjs              # starts backend/dist/main.js itself
//   node frontend/scripts/measure-first-visit.mjs --url http://127.0.0.1:3000
//   node frontend/scripts/measure-first-visit.mjs --json       # the figures as JSON
//   node frontend/scripts/measure-first-visit.mjs --files      # and every file of every visit
//
// Needs a production build (`npm run build`) and Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
// Hold the build lock while it runs (the build output is shared):
//   flock /tmp/flack-e2e.lock node frontend/scripts/measure-first-visit.mjs

/* global fetch, performance -- Node's fetch; the page's performance timeline (in page.evaluate) */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';
import { chromium } from 'playwright';
import { measureInitialJs } from '../../bench/frontend-size.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const distDir = process.env.STATIC_DIR ?? join(repoRoot, 'frontend/dist/browser');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const urlArg = args.includes('--url') ? args[args.indexOf('--url') + 1] : undefined;

/** The initial scripts and the global stylesheet, as paths (`/main-ABC.js`). */
const initial = measureInitialJs(distDir);
const initialFiles = new Set([
  ...initial.files.map((f) => `/${f.file}`),
  ...[
    ...readFileSync(join(distDir, 'index.html'), 'utf8').matchAll(/<link\b[^>]*\bhref="([^"]+\.css)"/g),
  ].map(([, href]) => `/${href}`),
]);

/** The chunk that holds socket.io-client, found by a string only its code carries (engine.io's polling error). */
function socketIoChunk() {
  for (const file of readdirSync(distDir)) {
    if (!file.endsWith('.js')) continue;
    if (readFileSync(join(distDir, file), 'utf8').includes('xhr poll error')) return file;
  }
  return undefined;
}

async function freePort() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  await once(probe, 'close');
  return port;
}

async function startServer() {
  const port = await freePort();
  const env = { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' };
  delete env.ALLOWED_ORIGINS;
  env.LOG_LEVEL = 'silent';
  const child = spawn(process.execPath, [join(repoRoot, 'backend/dist/main.js')], { env, stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/** Records every response of a page through CDP: bytes received, encoding, cache use, status. */
async function recorder(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  // Chromium's own cache stays on (the point of a warm visit); only CDP's extra buffering is off.
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
    requests.set(requestId, {
      url: request.url,
      bytes: 0,
      status: 0,
      encoding: '',
      cache: '',
      fromCache: false,
    });
  });
  cdp.on('Network.requestServedFromCache', ({ requestId }) => {
    const entry = requests.get(requestId);
    if (entry) entry.fromCache = true;
  });
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const entry = requests.get(requestId);
    if (!entry) return;
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    entry.status = response.status;
    entry.encoding = headers['content-encoding'] ?? '';
    entry.cache = headers['cache-control'] ?? '';
    entry.fromCache ||= response.fromDiskCache || response.fromPrefetchCache || false;
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const entry = requests.get(requestId);
    if (entry) entry.bytes = encodedDataLength;
  });
  return { requests, detach: () => cdp.detach() };
}

/** Opens `path` in `page`, waits for `ready`, and sums what came over the wire. */
async function visit(page, path, ready) {
  const { requests, detach } = await recorder(page);
  await page.goto(path);
  await ready(page);
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
  const timing = await page.evaluate(() => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ];
    const loadedBefore = (paint) =>
      paint ? entries.filter((e) => e.responseEnd <= paint.startTime).map((e) => e.name) : [];
    const fp = performance.getEntriesByName('first-paint')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      fp: fp?.startTime,
      fcp: fcp?.startTime,
      beforeFp: loadedBefore(fp),
      beforeFcp: loadedBefore(fcp),
    };
  });
  await detach();
  const list = [...requests.values()].filter((r) => r.url.startsWith('http'));
  const figures = (rows) => ({
    requests: rows.length,
    bytes: rows.reduce((total, row) => total + row.bytes, 0),
  });
  const document = list[0]?.url;
  return {
    path,
    fpMs: Math.round(timing.fp ?? NaN),
    fcpMs: Math.round(timing.fcp ?? NaN),
    // Chromium's first paint (the page's background), its first contentful paint (the form or
    // the channel drawn), and the critical path: the document, its stylesheet, the initial scripts.
    beforeFirstPaint: figures(list.filter((r) => timing.beforeFp.includes(r.url))),
    critical: figures(list.filter((r) => r.url === document || initialFiles.has(new URL(r.url).pathname))),
    beforePaint: figures(list.filter((r) => timing.beforeFcp.includes(r.url))),
    total: { ...figures(list), fromCache: list.filter((r) => r.fromCache).length },
    files: list.map(({ url, bytes, status, encoding, cache, fromCache }) => ({
      file: new URL(url).pathname,
      status,
      bytes,
      encoding,
      cache,
      fromCache,
      beforePaint: timing.beforeFcp.includes(url),
    })),
  };
}

const server = urlArg ? { url: urlArg.replace(/\/$/, ''), stop: () => undefined } : await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const channel = `wire-${Date.now() % 100000}`;
  const channelReady = (page) => page.getByRole('heading', { name: channel, exact: true }).waitFor();
  const loginReady = (page) => page.getByRole('textbox', { name: 'Display name' }).waitFor();

  const anonymous = await browser.newContext({ baseURL: server.url });
  const loginPage = await anonymous.newPage();
  const loginCold = await visit(loginPage, '/login', loginReady);
  const loginWarm = await visit(loginPage, '/login', loginReady);

  // Sign in and open a channel once, then visit it from a browser with the session but no cache.
  const name = `wire${Date.now() % 100000}`;
  await loginPage.getByRole('textbox', { name: 'Display name' }).fill(name);
  await loginPage.getByRole('textbox', { name: 'Display name' }).press('Enter');
  // Online: the channel list came with the server's snapshot.
  await loginPage
    .getByRole('heading', { name: 'Channels', exact: true, includeHidden: true })
    .waitFor({ state: 'attached' });
  await loginPage.getByRole('textbox', { name: 'New channel' }).fill(channel);
  await loginPage.getByRole('textbox', { name: 'New channel' }).press('Enter');
  await channelReady(loginPage);
  const channelPath = new URL(loginPage.url()).pathname;
  const storageState = await anonymous.storageState();
  await anonymous.close();

  const signedIn = await browser.newContext({ baseURL: server.url, storageState });
  const channelPage = await signedIn.newPage();
  const channelCold = await visit(channelPage, channelPath, channelReady);
  const channelWarm = await visit(channelPage, channelPath, channelReady);
  await signedIn.close();

  const socketChunk = socketIoChunk();
  const result = {
    server: server.url,
    initialJs: { files: initial.files.length, raw: initial.raw, gzip: initial.gzip },
    socketIoChunk: socketChunk ?? null,
    socketIoInInitialBundle: initial.files.some((f) => f.file === socketChunk),
    socketIoBeforeLoginPaint: loginCold.files.some((f) => f.beforePaint && f.file === `/${socketChunk}`),
    visits: { loginCold, loginWarm, channelCold, channelWarm },
  };
  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
    console.log(
      `initial JS: ${initial.files.length} files, ${kB(initial.raw)} raw / ${kB(initial.gzip)} gzip`,
    );
    console.log(
      `socket.io chunk: ${socketChunk ?? 'not found'}; in the initial bundle: ${result.socketIoInInitialBundle}; ` +
        `loaded before the login page's first paint: ${result.socketIoBeforeLoginPaint}`,
    );
    const cell = ({ requests, bytes }) => `${String(requests).padStart(3)} ${kB(bytes).padStart(9)}`;
    console.log(
      'visit          FP ms FCP ms | before FP     | critical path | before FCP    | total (from cache)',
    );
    for (const [label, v] of Object.entries(result.visits)) {
      console.log(
        `${label.padEnd(13)} ${String(v.fpMs).padStart(6)} ${String(v.fcpMs).padStart(6)} | ` +
          `${cell(v.beforeFirstPaint)} | ${cell(v.critical)} | ${cell(v.beforePaint)} | ` +
          `${cell(v.total)} (${v.total.fromCache})`,
      );
    }
    if (args.includes('--files')) {
      for (const [label, v] of Object.entries(result.visits)) {
        console.log(`\n${label}`);
        for (const f of v.files) {
          console.log(
            `  ${f.beforePaint ? '*' : ' '} ${String(f.status).padStart(3)} ${String(f.bytes).padStart(7)} ` +
              `${(f.encoding || '-').padEnd(4)} ${f.fromCache ? 'cache' : '     '} ${f.file}  [${f.cache}]`,
          );
        }
      }
    }
  }
} finally {
  await browser.close();
  server.stop();
}
