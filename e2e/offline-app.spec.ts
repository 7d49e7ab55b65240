// The installable app: Flack's service worker keeps the shell (index.html, scripts, styles, icons),
// so a reload with no network opens Flack, says it is offline and lists what waits to be sent,
// instead of the browser's error page; the manifest makes it installable; a deploy is announced
// ("A new version of Flack is ready") and Reload moves to it. The worker never caches the API.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import {
  channelHeading,
  createChannel,
  expectDelivered,
  login,
  messagesWith,
  screen,
  sendMessage,
} from './support/chat';
import { fastForwardUntil } from './support/clock';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';
import { repoRoot, startServer, stopServer, type RunningServer } from './support/server';
import { expectNoAxeViolations } from './support/axe';

// Every other spec blocks service workers (playwright.config.ts): here they are the subject.
test.use({ serviceWorkers: 'allow' });

/**
 * Until the worker controls the page and holds every file of the shell (it downloads them after it
 * is registered, once the app is stable).
 */
async function waitForOfflineShell(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) return 'not controlled yet';
          const manifest = (await (await fetch('/ngsw.json', { cache: 'no-store' })).json()) as {
            assetGroups: { urls: string[] }[];
          };
          const urls = manifest.assetGroups.flatMap((group) => group.urls);
          const missing: string[] = [];
          for (const url of urls) if (!(await caches.match(url))) missing.push(url);
          return missing.length === 0 ? 'ready' : `${missing.length} files not cached yet`;
        }),
      { timeout: 20_000 },
    )
    .toBe('ready');
}

test('with no network, a reload opens Flack, says it is offline and shows what waits to be sent', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice', { signIn: false });
  // The page's clock, moved on below past Socket.IO's reconnection back-off (support/clock.ts).
  await alice.page.clock.install();
  await login(alice.page, alice.name);
  const channel = uniqueChannelName('offline');
  await createChannel(alice.page, channel);
  await sendMessage(alice.page, 'said while online');
  await waitForOfflineShell(alice.page);

  await alice.context.setOffline(true);
  const { composer } = screen(alice.page);
  await composer.fill('written on the train');
  await composer.press('Enter');
  await expect(messagesWith(alice.page, 'written on the train')).toContainText('Waiting for connection…');
  await alice.page.reload();
  // Some Chromium builds (150 here) answer navigator.onLine true in a document loaded under the
  // context's offline emulation; a real offline device does not. Emulating it again on the new
  // document gives the page what a device reports (it stays offline throughout).
  const cdp = await alice.context.newCDPSession(alice.page);
  const emulateOffline = (offline: boolean) =>
    cdp.send('Network.emulateNetworkConditions', {
      offline,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
  await emulateOffline(true);

  // The shell, from the worker's cache: signed in, offline, and the outbox in view.
  await expect(screen(alice.page).logOutButton).toBeVisible();
  await expect(screen(alice.page).status).toContainText('Cannot reach Flack');
  const waiting = alice.page.getByRole('region', { name: 'Waiting to be sent' });
  await expect(waiting).toContainText('written on the train');
  await expect(waiting).toContainText(`#${channel}`);
  await expect(waiting).toContainText('You are offline.');
  await saveScreen(alice.page, 'offline-shell');
  await expectNoAxeViolations(alice.page, 'app-unsent-notice', 'the waiting messages, offline');

  await emulateOffline(false);
  await alice.context.setOffline(false);
  const heading = channelHeading(alice.page, channel);
  await fastForwardUntil(alice.page, () => heading.isVisible(), 'the channel open again');
  await expect(heading).toBeVisible();
  await expectDelivered(messagesWith(alice.page, 'written on the train'));
  await expect(waiting).toHaveCount(0);
});

test('the app is installable: a manifest with icons, served fresh, and the API is never cached', async ({
  newPerson,
  baseURL,
}) => {
  const alice = await newPerson('alice');
  await waitForOfflineShell(alice.page);
  const href = await alice.page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = await alice.page.request.get(new URL(href ?? '', `${baseURL}/`).toString());
  expect(manifest.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  expect(manifest.headers()['cache-control']).toBe('no-cache');
  const body = (await manifest.json()) as { display: string; icons: { src: string; purpose: string }[] };
  expect(body.display).toBe('standalone');
  expect(body.icons.map((icon) => icon.purpose)).toEqual(expect.arrayContaining(['any', 'maskable']));
  for (const icon of body.icons) {
    expect((await alice.page.request.get(`${baseURL}/${icon.src}`)).ok(), icon.src).toBe(true);
  }
  // Chromium's own judgement: nothing keeps it from offering to install Flack, but that a test's
  // browser context is a private window.
  const cdp = await alice.context.newCDPSession(alice.page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual(
    [],
  );
  const { url, errors } = await cdp.send('Page.getAppManifest');
  expect(url).toMatch(/\/manifest\.webmanifest$/);
  expect(errors).toEqual([]);
  for (const file of ['ngsw-worker.js', 'ngsw.json']) {
    expect((await alice.page.request.get(`${baseURL}/${file}`)).headers()['cache-control'], file).toBe(
      'no-cache',
    );
  }
  // Nothing under /api or /socket.io is in the worker's caches.
  const cached = await alice.page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cached.length).toBeGreaterThan(0);
  expect(cached.filter((url) => url.startsWith('/api') || url.startsWith('/socket.io'))).toEqual([]);
});

test.describe('after a deploy', () => {
  let server: RunningServer;
  let build: string;

  test.beforeEach(async () => {
    // A build of its own, changed below as a deploy would change it.
    build = mkdtempSync(path.join(tmpdir(), 'flack-deploy-'));
    cpSync(path.join(repoRoot, 'frontend', 'dist', 'browser'), build, { recursive: true });
    server = await startServer({
      name: 'deploy',
      env: { STATIC_DIR: build, NAME_CLAIMS_PER_MINUTE: '1000' },
    });
  });

  test.afterEach(async () => {
    await stopServer(server);
    rmSync(build, { recursive: true, force: true });
  });

  test('the open app says a new version is ready, and Reload loads it', async ({ newPerson, saveScreen }) => {
    const alice = await newPerson('alice', { baseURL: server.url });
    await waitForOfflineShell(alice.page);
    await expect(alice.page.getByText('A new version of Flack is ready.')).toHaveCount(0);

    deployNewVersion(build);
    // Opened again from the worker's cache (the old version), which then finds the new one.
    await alice.page.reload();
    const prompt = alice.page.getByRole('status').filter({ hasText: 'A new version of Flack is ready.' });
    await expect(prompt).toBeVisible({ timeout: 15_000 });
    await expect(buildMark(alice.page)).toHaveCount(0);
    await saveScreen(alice.page, 'update-prompt');
    await expectNoAxeViolations(alice.page, 'app-update-prompt', 'the prompt, light desktop');
    await alice.page.setViewportSize({ width: 390, height: 844 });
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    await saveScreen(alice.page, 'update-prompt-phone-dark');
    await expectNoAxeViolations(alice.page, 'app-update-prompt', 'the prompt, dark phone');

    await prompt.getByRole('button', { name: 'Reload' }).focus();
    await alice.page.keyboard.press('Enter');
    await expect(buildMark(alice.page)).toHaveAttribute('content', 'next');
    await expect(screen(alice.page).logOutButton).toBeVisible();
    await expect(prompt).toHaveCount(0);
  });
});

/** The mark the deploy adds to index.html: not there on the version before it. */
function buildMark(page: Page): Locator {
  return page.locator('meta[name="flack-build"]');
}

/**
 * What a deploy changes for the worker: index.html (here with a mark the test can see) and its
 * hash in ngsw.json, the worker's list of the build. The server serves the new files once
 * index.html changes; its precompressed copies of the old one are no longer used.
 */
function deployNewVersion(dir: string): void {
  const indexFile = path.join(dir, 'index.html');
  const index = readFileSync(indexFile, 'utf8').replace(
    '<head>',
    '<head><meta name="flack-build" content="next">',
  );
  const manifestFile = path.join(dir, 'ngsw.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    timestamp: number;
    hashTable: Record<string, string>;
  };
  manifest.timestamp = Date.now();
  manifest.hashTable['/index.html'] = createHash('sha1').update(index).digest('hex');
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  writeFileSync(indexFile, index);
}
