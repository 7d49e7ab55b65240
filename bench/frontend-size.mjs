// Initial JavaScript of the production build: what a browser must download before the app can
// start. That is every script index.html loads (a `<script src>`, an entry of Angular's autoCsp
// loader, or a `<link rel="modulepreload">`), plus every chunk those import statically; chunks
// reached only through `import()` (lazy routes) are left out.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const SCRIPT_SRC = /<script\b[^>]*\bsrc=["']([^"']+\.m?js)["']/gi;
const MODULE_PRELOAD =
  /<link\b[^>]*\brel=["']modulepreload["'][^>]*\bhref=["']([^"']+)["']|<link\b[^>]*\bhref=["']([^"']+)["'][^>]*\brel=["']modulepreload["']/gi;
// Angular's autoCsp loader: `var scripts = [['main-ABC.js', 'module', false, false]];`
const CSP_LOADER_ENTRY = /\[\s*['"]([^'"]+\.m?js)['"]\s*,\s*['"](?:module|text\/javascript)['"]/g;
// `import{a as b}from"./chunk-X.js"` and `import"./chunk-X.js"`, but not `import("./chunk-X.js")`.
const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["'](\.\/[^"']+\.m?js)["']/g;

const isLocal = (src) => !/^[a-z]+:|^\/\//i.test(src);
const fileOf = (src) => src.replace(/^\.?\//, '').replace(/[?#].*$/, '');

/** Sizes in bytes; gzip at zlib's default level (6), as a typical web server would serve them. */
export function measureInitialJs(distDir) {
  const indexPath = join(distDir, 'index.html');
  const html = readFileSync(indexPath, 'utf8');
  const entries = new Set();
  for (const [, src] of html.matchAll(SCRIPT_SRC)) if (isLocal(src)) entries.add(fileOf(src));
  for (const [, a, b] of html.matchAll(MODULE_PRELOAD)) if (isLocal(a ?? b)) entries.add(fileOf(a ?? b));
  for (const [, src] of html.matchAll(CSP_LOADER_ENTRY)) if (isLocal(src)) entries.add(fileOf(src));

  const files = new Map();
  const visit = (file) => {
    if (files.has(file)) return;
    const code = readFileSync(join(distDir, file));
    files.set(file, { file, raw: code.length, gzip: gzipSync(code).length });
    for (const [, imported] of code.toString('utf8').matchAll(STATIC_IMPORT)) visit(fileOf(imported));
  };
  for (const entry of entries) visit(entry);

  const list = [...files.values()].sort((a, b) => b.raw - a.raw);
  return {
    builtAt: statSync(indexPath).mtime.toISOString(),
    files: list,
    raw: list.reduce((sum, f) => sum + f.raw, 0),
    gzip: list.reduce((sum, f) => sum + f.gzip, 0),
  };
}
