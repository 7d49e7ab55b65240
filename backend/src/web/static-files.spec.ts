// How the files that decide which version of the app a person runs are cached: the service
// worker's scripts, its ngsw.json and the web app manifest are revalidated on every use, so a
// deploy reaches every browser; the builder's hashed files stay immutable.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IMMUTABLE,
  readStaticFiles,
  REVALIDATE,
  SERVICE_WORKER_FILES,
  type StaticFile,
} from './static-files.js';

let dir: string;
let files: Map<string, StaticFile>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flack-sw-files-'));
  mkdirSync(join(dir, 'icons'));
  for (const name of [
    'index.html',
    'main-AB12CD34.js',
    'ngsw-worker.js',
    'ngsw.json',
    'safety-worker.js',
    'worker-basic.min.js',
    'manifest.webmanifest',
    'icons/icon-192.png',
  ]) {
    writeFileSync(join(dir, name), name);
  }
  files = readStaticFiles(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the service worker and the manifest', () => {
  it.each([...SERVICE_WORKER_FILES])('%s is revalidated on every use, never immutable', (name) => {
    expect(files.get(name)?.cacheControl).toBe(REVALIDATE);
  });

  it.each([
    ['ngsw-worker.js', 'text/javascript; charset=utf-8'],
    ['ngsw.json', 'application/json; charset=utf-8'],
    ['manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['icons/icon-192.png', 'image/png'],
  ])('%s is served as %s', (name, type) => {
    expect(files.get(name)?.contentType).toBe(type);
  });

  it('leaves the hashed bundle immutable and the icons revalidated', () => {
    expect(files.get('main-AB12CD34.js')?.cacheControl).toBe(IMMUTABLE);
    expect(files.get('icons/icon-192.png')?.cacheControl).toBe(REVALIDATE);
  });
});
