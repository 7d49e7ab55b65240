// A switch between a page and the server's WebSocket, so a test can play an unreachable server or
// a server that swallows messages, without touching the server itself.
import type { Page, WebSocketRoute } from '@playwright/test';

export interface NetworkSwitch {
  /** Closes the open connection and refuses new ones, as if the server could not be reached. */
  cut(): Promise<void>;
  /** Lets connections through again. */
  restore(): void;
  /** While on, `message:send` frames from the page never reach the server (no ack comes back). */
  swallowSends(on: boolean): void;
}

/** Install before the page opens the app: only connections made after this pass through it. */
export async function networkSwitch(page: Page): Promise<NetworkSwitch> {
  let reachable = true;
  let swallowing = false;
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (!reachable) {
      void ws.close().catch(() => undefined);
      return;
    }
    const server = ws.connectToServer();
    const pair = { page: ws, server };
    open.add(pair);
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
    restore() {
      reachable = true;
    },
    swallowSends(on) {
      swallowing = on;
    },
  };
}
