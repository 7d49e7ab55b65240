// A switch between a page and the server's WebSocket, so a test can play an unreachable server or
// a server that swallows messages, without touching the server itself.
import type { Page, WebSocketRoute } from '@playwright/test';
import { fastForwardUntil } from './clock';

export interface NetworkSwitch {
  /** Closes the open connection and refuses new ones, as if the server could not be reached. */
  cut(): Promise<void>;
  /**
   * Lets connections through again, and resolves once the page has opened one: Socket.IO's
   * reconnection back-off (up to 7.5 s after a few failed attempts) runs on the page's clock.
   */
  restore(): Promise<void>;
  /** While on, `message:send` frames from the page never reach the server (no ack comes back). */
  swallowSends(on: boolean): void;
}

/**
 * Install before the page opens the app: only connections made after this pass through it. It
 * installs Playwright's clock in the page's context too (e2e/support/clock.ts), so a spec can move
 * the app's timers on; time runs as usual until a spec does.
 */
export async function networkSwitch(page: Page): Promise<NetworkSwitch> {
  let reachable = true;
  let swallowing = false;
  let opened = 0;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await page.clock.install();
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (!reachable) {
      void ws.close().catch(() => undefined);
      return;
    }
    const server = ws.connectToServer();
    const pair = { page: ws, server };
    open.add(pair);
    opened++;
    ws.onMessage((frame) => {
      // Socket.IO event frames look like 42<ack id>["message:send",{…}].
      if (swallowing && typeof frame === 'string' && frame.includes('"message:send"')) return;
      server.send(frame);
    });
    ws.onClose(() => {
      open.delete(pair);
      void server.close().catch(() => undefined);
    });
    server.onClose(() => {
      open.delete(pair);
      void ws.close().catch(() => undefined);
    });
  });
  return {
    async cut() {
      reachable = false;
      for (const pair of [...open]) {
        open.delete(pair);
        await pair.server.close().catch(() => undefined);
        await pair.page.close().catch(() => undefined);
      }
    },
    async restore() {
      reachable = true;
      const before = opened;
      await fastForwardUntil(page, () => opened > before, 'the page reconnecting', { maxMs: 10_000 });
    },
    swallowSends(on) {
      swallowing = on;
    },
  };
}
