// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every text file of the
// Angular build, once at build time, so the server sends the smallest coding the browser accepts
// without compressing anything per request (backend/src/web/static-files.ts). A copy that would
// not be smaller than the file is not written. Run by `npm run build` after `ng build`.
//
//   node frontend/scripts/precompress.mjs [dir]      # default: the build's browser folder

import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const angular = JSON.parse(await readFile(join(repoRoot, 'angular.json'), 'utf8'));
const outputPath = angular.projects.flack.architect.build.options.outputPath;
const dir = process.argv[2] ?? join(repoRoot, outputPath, 'browser');

/** Formats that compress; images and fonts other than SVG are compressed already. */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.txt',
  '.xml',
  '.svg',
  '.ico',
]);

async function filesUnder(folder) {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function precompress(file) {
  const body = await readFile(file);
  const [br, gzipped] = await Promise.all([
    brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gz(body, { level: 9 }),
  ]);
  const written = { file: relative(dir, file), raw: body.length, br: body.length, gzip: body.length };
  for (const [suffix, copy, key] of [
    ['.br', br, 'br'],
    ['.gz', gzipped, 'gzip'],
  ]) {
    if (copy.length < body.length) {
      await writeFile(file + suffix, copy);
      written[key] = copy.length;
    } else {
      await rm(file + suffix, { force: true });
    }
  }
  return written;
}

if (!(await stat(dir).catch(() => null))?.isDirectory()) {
  console.error(`precompress: ${relative(repoRoot, dir)} is not a folder; build the app first (ng build).`);
  process.exit(1);
}
const files = (await filesUnder(dir)).filter(
  (file) => COMPRESSIBLE.has(extname(file).toLowerCase()) && !/\.(br|gz)$/.test(file),
);
const results = await Promise.all(files.map(precompress));
const total = (key) => results.reduce((sum, result) => sum + result[key], 0);
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(
  `Precompressed ${results.length} files in ${relative(repoRoot, dir)}: ${kB(total('raw'))} → ` +
    `${kB(total('br'))} brotli, ${kB(total('gzip'))} gzip.`,
);
