// The app's own timers (an acknowledgement's timeout, the pause before a retry, Socket.IO's
// reconnection back-off) wait seconds of real time. A spec that installs Playwright's clock before
// the app loads (`page.clock.install()`) can move the page's time on instead, and see the same
// behaviour in a fraction of the time: the server keeps real time, the page sees time pass.
import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from '@playwright/test';

/**
 * How far the page's clock may be moved on in one go. Socket.IO's heartbeat makes this a limit: the
 * page drops its connection when it has heard no ping for 45 s of its own time (pingInterval 25 s +
 * pingTimeout 20 s, the server's defaults), and the server pings every 25 s of real time: as long
 * as a test moves it on less than 20 s in all, a live connection never looks dead.
 */
export const MAX_FAST_FORWARD_MS = 19_000;

/**
 * Moves the page's clock on `stepMs` at a time, with a real pause between steps so the page's
 * promises and the network answer, until `done` holds; fails once `maxMs` has been moved on.
 */
export async function fastForwardUntil(
  page: Page,
  done: () => Promise<boolean> | boolean,
  what: string,
  { stepMs = 500, maxMs = MAX_FAST_FORWARD_MS }: { stepMs?: number; maxMs?: number } = {},
): Promise<void> {
  if (maxMs > MAX_FAST_FORWARD_MS) throw new Error(`at most ${MAX_FAST_FORWARD_MS} ms at a time`);
  for (let moved = 0; moved < maxMs; moved += stepMs) {
    if (await done()) return;
    await page.clock.fastForward(stepMs);
    await delay(50);
  }
  if (await done()) return;
  throw new Error(`${what}: not after moving the page's clock on ${maxMs} ms`);
}
