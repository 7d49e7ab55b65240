import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import helmet from 'helmet';

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

/**
 * Helmet's headers with a Content-Security-Policy in which no inline script runs except the
 * build's own hashed loader. Styles may be inline: Angular adds component styles at run time.
 */
export function securityHeaders(staticDir: string) {
  return helmet({
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
  });
}
