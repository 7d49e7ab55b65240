import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chooseEncoding, type Encoding } from './accept-encoding.js';

/**
 * The built Angular app, served from memory. The folder is read once into a table of its files
 * (with the `.br` and `.gz` beside each, written by frontend/scripts/precompress.mjs), and a
 * request is answered from that table only: a path that is not a key of it never touches the
 * disk, so nothing outside the folder can be reached, however the path is spelled.
 *
 * - Hashed files (Angular's `name-HASH.ext`) may be cached for a year and never revalidated;
 *   everything else, index.html first, is revalidated on every use (`no-cache`, with an ETag).
 *   So are the service worker's own files whatever their names look like (`SERVICE_WORKER_FILES`):
 *   a cached worker or manifest would keep serving an old app after a deploy.
 * - The coding is chosen by `Accept-Encoding` (br, then gzip, then none), with `Vary`.
 * - A path that is not a file: an app route (`/login`, `/c/general`) answers index.html, and one
 *   that looks like a file (`/favicon.ico`, an old `/main-ABC.js`) answers 404.
 */

/** What a folder of the build holds besides routes: anything under them is a file or nothing. */
const ASSET_FOLDERS = new Set(['media', 'assets']);
/**
 * Angular's output hashing: `main-BZLZCU5P.js`, `chunk-B_8ot2Jt.js` (the chunk optimizer's
 * hashes), `media/logo-3TZUUBRQ.png`. Named as the builder names them, so a file copied from
 * `public/` such as `site-manifest.json` is never taken for one.
 */
const HASHED_NAME =
  /^(?:(?:main|polyfills|styles|chunk|worker)-[\w-]{8}\.(?:js|mjs|css)|media\/.+-[\w-]{8}\.[A-Za-z0-9]+)$/;
const HAS_EXTENSION = /\.[A-Za-z0-9]+$/;
/**
 * What the browser and the Angular service worker fetch to learn that a new version is out (the
 * worker scripts, its manifest of the build, the web app manifest): never immutable, even if a
 * future name looked hashed, or a person would be kept on the old app for a year.
 */
export const SERVICE_WORKER_FILES: ReadonlySet<string> = new Set([
  'ngsw-worker.js',
  'ngsw.json',
  'safety-worker.js',
  'worker-basic.min.js',
  'manifest.webmanifest',
]);
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The precompressed siblings of a file, the coding each holds, and how to undo it. */
const SIBLINGS: readonly [string, Encoding, (copy: Buffer) => Buffer][] = [
  ['.br', 'br', brotliDecompressSync],
  ['.gz', 'gzip', gunzipSync],
];

interface Variant {
  readonly body: Buffer;
  /** Differs per coding: the bytes differ, and a cache must not answer one with another. */
  readonly etag: string;
}

export interface StaticFile {
  readonly contentType: string;
  readonly cacheControl: string;
  readonly lastModified: string;
  readonly mtimeMs: number;
  readonly variants: ReadonlyMap<Encoding, Variant>;
  readonly encodings: ReadonlySet<Encoding>;
}

/** Every file of `dir` by its path under it (`index.html`, `media/logo-X.png`), symlinks left out. */
export function readStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const names = new Set(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) =>
        join(entry.parentPath, entry.name)
          .slice(dir.length + 1)
          .split('\\')
          .join('/'),
      ),
  );
  for (const name of names) {
    // A `.br`/`.gz` beside its original is one of its codings, not a file of its own.
    if (SIBLINGS.some(([suffix]) => name.endsWith(suffix) && names.has(name.slice(0, -suffix.length))))
      continue;
    const file = readStaticFile(join(dir, name), name, names);
    if (file) files.set(name, file);
  }
  return files;
}

/** One file and its codings; undefined if it went away meanwhile (a build writing the folder). */
function readStaticFile(path: string, name: string, names: ReadonlySet<string>): StaticFile | undefined {
  let body: Buffer;
  let mtimeMs: number;
  try {
    body = readFileSync(path);
    mtimeMs = Math.floor(statSync(path).mtimeMs / 1000) * 1000;
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const variants = new Map<Encoding, Variant>([['identity', { body, etag: `"${hash}"` }]]);
  for (const [suffix, encoding, decode] of SIBLINGS) {
    if (!names.has(name + suffix)) continue;
    // Only a copy of these very bytes: one left over from an earlier build would be another file.
    const copy = readCopyOf(path + suffix, body, decode);
    if (copy) variants.set(encoding, { body: copy, etag: `"${hash}-${suffix.slice(1)}"` });
  }
  return {
    contentType: CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
    cacheControl: HASHED_NAME.test(name) && !SERVICE_WORKER_FILES.has(name) ? IMMUTABLE : REVALIDATE,
    lastModified: new Date(mtimeMs).toUTCString(),
    mtimeMs,
    variants,
    encodings: new Set(variants.keys()),
  };
}

function readCopyOf(path: string, original: Buffer, decode: (copy: Buffer) => Buffer): Buffer | undefined {
  try {
    const copy = readFileSync(path);
    return decode(copy).equals(original) ? copy : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a path that is no file names a file (404) rather than a page of the app (index.html).
 * Judged on the raw segments, so `/c/a%2Fb.c` (channel "a/b.c") is one segment.
 */
export function looksLikeAsset(rawSegments: readonly string[]): boolean {
  if (ASSET_FOLDERS.has(rawSegments[0] ?? '')) return true;
  // `/c/:channel` is the one route that takes a name, and a channel may be called "v1.2".
  if (rawSegments.length === 2 && rawSegments[0] === 'c') return false;
  return HAS_EXTENSION.test(rawSegments.at(-1) ?? '');
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** Prefixes answered by the API and Socket.IO, never by the app's files. */
const NOT_OURS = ['/api', '/socket.io'];

/** A build still writing files: a table read this soon after index.html changed may lack some. */
const SETTLING_MS = 2_000;

/**
 * The middleware that serves `dir`. The table is read again when index.html changes (each build
 * rewrites it; `ng build --watch` in development), so a server may start before the first build;
 * and, while the build may still be writing, when a file is not found. Without a build it passes
 * every request on.
 */
export function serveStaticFiles(dir: string): Middleware {
  let files = new Map<string, StaticFile>();
  let indexStamp = NaN;
  let readAt = 0;
  const current = (missing = false): Map<string, StaticFile> => {
    const stamp = statSync(join(dir, 'index.html'), { throwIfNoEntry: false })?.mtimeMs ?? NaN;
    if (stamp !== indexStamp || (missing && readAt - stamp < SETTLING_MS)) {
      files = Number.isNaN(stamp) ? new Map() : readStaticFiles(dir);
      indexStamp = stamp;
      readAt = Date.now();
    }
    return files;
  };

  return (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const rawPath = query === -1 ? url : url.slice(0, query);
    if (NOT_OURS.some((prefix) => rawPath === prefix || rawPath.startsWith(`${prefix}/`))) return next();
    const table = current();
    const index = table.get('index.html');
    if (!index) return next();

    const name = fileNameOf(rawPath);
    if (name === undefined) return sendText(response, 400, 'Bad request');
    const file = name === '' ? index : (table.get(name) ?? current(true).get(name));
    if (file) return send(request, response, file);
    if (looksLikeAsset(rawPath.slice(1).split('/'))) return sendText(response, 404, 'Not found');
    return send(request, response, index);
  };
}

/**
 * The table key a path asks for (`/media/a.png` → `media/a.png`), or undefined for a path that
 * tries to leave the folder or cannot name a file at all: bad percent-encoding, a NUL, a
 * backslash, a `.` or `..` segment (encoded or not). The table would not hold such a key anyway;
 * refusing it outright keeps it from reaching the app route fallback.
 */
export function fileNameOf(rawPath: string): string | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(rawPath.slice(1));
  } catch {
    return undefined;
  }
  if (path === '') return '';
  if (/[\0\\]/.test(path)) return undefined;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  return path;
}

function send(request: IncomingMessage, response: ServerResponse, file: StaticFile): void {
  const header = request.headers['accept-encoding'];
  const encoding = chooseEncoding(Array.isArray(header) ? header.join(',') : header, file.encodings);
  response.setHeader('Vary', 'Accept-Encoding');
  if (encoding === null) return sendText(response, 406, 'No acceptable content coding');
  const variant = file.variants.get(encoding)!;
  response.setHeader('Cache-Control', file.cacheControl);
  response.setHeader('ETag', variant.etag);
  response.setHeader('Last-Modified', file.lastModified);
  if (isFresh(request, variant.etag, file.mtimeMs)) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Content-Length', variant.body.length);
  if (encoding !== 'identity') response.setHeader('Content-Encoding', encoding);
  response.statusCode = 200;
  if (request.method === 'HEAD') response.end();
  else response.end(variant.body);
}

/** The client's copy is this one: If-None-Match (weak comparison), else If-Modified-Since. */
function isFresh(request: IncomingMessage, etag: string, mtimeMs: number): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) {
    return noneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === '*' || tag === etag);
  }
  const modifiedSince = request.headers['if-modified-since'];
  if (modifiedSince === undefined) return false;
  const since = Date.parse(modifiedSince);
  return !Number.isNaN(since) && mtimeMs <= since;
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.setHeader('Cache-Control', REVALIDATE);
  response.end(text);
}
