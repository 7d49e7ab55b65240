import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Server } from 'socket.io';

/**
 * Hashes of the inline scripts in the built index.html (Angular's `autoCsp` loader). The page's
 * own meta policy allows them too; the header policy must, or the browser enforces the stricter
 * of the two and the app never starts.
 */
export function inlineScriptHashes(staticDir: string): string[] {
  const index = join(staticDir, 'index.html');
  if (!existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  const hashes: string[] = [];
  for (const [, body] of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(`'sha256-${createHash('sha256').update(body).digest('base64')}'`);
  }
  return hashes;
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * Helmet's headers with a Content-Security-Policy in which no inline script runs except the
 * build's own hashed loader. Styles may be inline: Angular adds component styles at run time.
 *
 * Helmet runs a chain of thirteen middlewares that set the same headers on every response; they
 * are run once here and the headers replayed, one `setHeader` each.
 */
export function securityHeaders(staticDir: string): Middleware {
  return replay(securityHeaderList(staticDir));
}

type HeaderList = [string, string | string[]][];

/** The headers each app sends, recorded by `useSecurityHeaders` for Socket.IO's own responses. */
const headersOfApp = new WeakMap<object, HeaderList>();

/**
 * Sets the security headers on every response Express sends for `app`, and records them so that
 * the responses Engine.IO answers itself, before Express (`sendSecurityHeadersFromSocketIo`), carry
 * the same ones. Returns them for other routes answered outside Express.
 */
export function useSecurityHeaders(
  app: { use(middleware: Middleware): unknown },
  staticDir: string,
): HeaderList {
  const headers = securityHeaderList(staticDir);
  headersOfApp.set(app, headers);
  app.use(replay(headers));
  return headers;
}

/**
 * Engine.IO answers `/socket.io/` itself: polling responses, its own errors (a refused handshake's
 * 403 included) and the WebSocket upgrade. An Engine.IO middleware runs before each of them and
 * sets the headers `useSecurityHeaders` recorded for `app` (none if it recorded nothing, as in the
 * adapter's unit tests).
 */
export function sendSecurityHeadersFromSocketIo(app: object, io: Server): Server {
  const headers = headersOfApp.get(app);
  if (headers) io.engine.use(replay(headers));
  return io;
}

function replay(headers: HeaderList): Middleware {
  return (_request, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}

/** The headers `securityHeaders` sets, as name/value pairs (for a route answered outside Express). */
export function securityHeaderList(staticDir: string): HeaderList {
  return headersSetBy(helmet(helmetOptions(staticDir)));
}

/** The headers a middleware that only sets headers sets, recorded by running it once. */
function headersSetBy(middleware: Middleware): HeaderList {
  const headers: HeaderList = [];
  const recorder = {
    setHeader: (name: string, value: string | string[]) => headers.push([name, value]),
    // Helmet removes X-Powered-By, which the app never sets (`app.disable('x-powered-by')`).
    removeHeader: () => undefined,
  };
  let called = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => (called = true));
  if (!called) throw new Error('The security headers middleware did not call next().');
  return headers;
}

/** Helmet's settings for Flack (see securityHeaders). */
export function helmetOptions(staticDir: string): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScriptHashes(staticDir)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // The installable app: the service worker (ngsw-worker.js) and the web app manifest.
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The app needs no cross-origin isolation; the defaults would only block future embeds of images.
    crossOriginEmbedderPolicy: false,
  };
}
