// Draws the app icons of the web manifest (frontend/public/manifest.webmanifest) from the Flack
// mark in frontend/public/favicon.svg: "any" icons at 192 and 512 px (the mark as it is, rounded
// square on a transparent background) and "maskable" ones, where the launcher cuts its own shape
// out of a full-bleed square of the mark's colour (the glyph is inside the safe zone). Also a
// 180 px apple-touch-icon (iOS draws no transparency: a full square, like the maskable ones).
// The PNGs are committed; run this again only when the mark changes.
//
//   node frontend/scripts/icons.mjs

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { Buffer } from 'node:buffer';
import sharp from 'sharp';

const publicDir = fileURLToPath(new URL('../public', import.meta.url));
const mark = await readFile(join(publicDir, 'favicon.svg'), 'utf8');

/**
 * The mark without its rounded corners, on a full square of its colour. The glyph (stroke
 * included) spans 8.4-23.6 of the 32-unit grid, so its farthest corner is 34 % of the side from
 * the centre: inside the maskable safe zone, a circle of 40 % radius.
 */
function fullBleed() {
  const square = mark.replace(/\s+rx="[^"]*"/, '');
  if (square === mark) throw new Error('favicon.svg: no rounded <rect rx="…"> to square off');
  return square;
}

const icons = [
  { file: 'icon-192.png', size: 192, svg: mark },
  { file: 'icon-512.png', size: 512, svg: mark },
  { file: 'maskable-192.png', size: 192, svg: fullBleed() },
  { file: 'maskable-512.png', size: 512, svg: fullBleed() },
  { file: 'apple-touch-icon.png', size: 180, svg: fullBleed() },
];

for (const { file, size, svg } of icons) {
  // Rasterised at the target size (density from the 32-unit viewBox), not scaled up from 32 px.
  const png = await sharp(Buffer.from(svg), { density: (72 * size) / 32 })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true })
    .toBuffer();
  await writeFile(join(publicDir, 'icons', file), png);
  console.log(`icons/${file}: ${size}x${size}, ${png.length} bytes`);
}
