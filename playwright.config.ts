import { defineConfig } from '@playwright/test';

// Browser tests against the built app (`npm run e2e` builds first; this config never builds).
// e2e/global-setup.ts starts `node backend/dist/main.js` on a free port and exports BASE_URL;
// set BASE_URL yourself to point the suite at a server that is already running.
const ci = !!process.env.CI;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/artifacts/test-results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  // Two cores: the server, two browsers and the runner already share them.
  workers: 2,
  timeout: 45_000,
  expect: { timeout: 7_000 },
  reporter: ci ? [['list']] : [['list'], ['html', { outputFolder: 'e2e/artifacts/report', open: 'never' }]],
  use: {
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    screenshot: 'only-on-failure',
    // A failed test's trace, with the page's DOM before and after every step. Its screencast costs
    // about a third of the suite's time on two cores (every test records, only failures keep it),
    // so CI records without it; the failure's own screenshot is kept either way.
    trace: ci ? { mode: 'retain-on-failure', screenshots: false } : 'retain-on-failure',
    locale: 'en-US',
    timezoneId: 'UTC',
    // The app's service worker would cache and answer requests that specs route or cut (page.route
    // does not see a worker's fetches); e2e/offline-app.spec.ts and the specs that need it allow it.
    serviceWorkers: 'block',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
});
