// The `test` every spec imports: Playwright's, plus `newPerson` (one browser context per person, so
// each has their own localStorage) and `saveScreen` (screenshots kept under e2e/artifacts/screens).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  test as base,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { login } from './chat';
import { uniqueName } from './names';
import { repoRoot } from './server';

export { expect };

export interface Person {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface PersonOptions extends BrowserContextOptions {
  /** The display name; default: a unique one made from the label. */
  name?: string;
  /** Open the app and sign in (default), or leave a blank page. */
  signIn?: boolean;
}

interface Fixtures {
  /** The server under test; always set. */
  baseURL: string;
  newPerson: (label: string, options?: PersonOptions) => Promise<Person>;
  saveScreen: (page: Page, name: string) => Promise<void>;
}

export const screensDir = path.join(repoRoot, 'e2e', 'artifacts', 'screens');

export const test = base.extend<Fixtures>({
  // Set by the global setup after the config was read, so not a plain option.
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use) => {
    const baseURL = process.env.BASE_URL;
    if (!baseURL) throw new Error('BASE_URL is not set: run the suite through playwright.config.ts');
    await use(baseURL);
  },

  newPerson: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    // Any dialog is a script the page did not mean to run (e.g. injected markup); any uncaught
    // error is a bug. Both fail the test once it is over, with what happened.
    const problems: string[] = [];
    await use(async (label, { name = uniqueName(label), signIn = true, ...contextOptions } = {}) => {
      const context = await browser.newContext({ baseURL, ...contextOptions });
      contexts.push(context);
      context.on('page', (page) => {
        page.on('dialog', (dialog) => {
          problems.push(`${label}: a ${dialog.type()} dialog opened: ${dialog.message()}`);
          void dialog.dismiss().catch(() => undefined);
        });
        page.on('pageerror', (error) =>
          problems.push(`${label}: uncaught error in the page: ${error.message}`),
        );
      });
      const page = await context.newPage();
      if (signIn) await login(page, name);
      return { name, context, page };
    });
    await Promise.all(contexts.map((context) => context.close()));
    expect(problems, 'dialogs or uncaught errors in the pages').toEqual([]);
  },

  // eslint-disable-next-line no-empty-pattern
  saveScreen: async ({}, use, testInfo) => {
    mkdirSync(screensDir, { recursive: true });
    await use(async (page, name) => {
      const file = path.join(screensDir, `${name}.png`);
      await page.screenshot({ path: file, animations: 'disabled' });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
    });
  },
});
