import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

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
  const headers = securityHeaderList(staticDir);
  return (_request, response, next) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}

/** The headers `securityHeaders` sets, as name/value pairs (for a route answered outside Express). */
export function securityHeaderList(staticDir: string): [string, string | string[]][] {
  return headersSetBy(helmet(helmetOptions(staticDir)));
}

/** The headers a middleware that only sets headers sets, recorded by running it once. */
function headersSetBy(middleware: Middleware): [string, string | string[]][] {
  const headers: [string, string | string[]][] = [];
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
