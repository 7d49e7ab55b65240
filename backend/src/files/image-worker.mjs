// The image work of uploads, in a child process of its own (forked by images.ts, which lowers its
// CPU priority). Decoding and re-encoding a photo takes tens of milliseconds of CPU; run beside the
// event loop, on a two-core server, it took the core the chat needed and message p99 grew sixfold.
// A child that the kernel schedules after the server gives chat the CPU first and images the rest.
//
// Plain JavaScript because it is forked as it is: from backend/src under the tests and from
// backend/dist in production (nest-cli.json copies it), and Node 20 runs no TypeScript.
//
// One request at a time: { id, input: Uint8Array, type, maxPixels, thumbnailSide } ->
// { id, ok: true, content, thumbnail?, width, height } or { id, ok: false }.

import { Buffer } from 'node:buffer';
import process from 'node:process';
import sharp from 'sharp';

// libvips' operation cache would keep decoded uploads around; every upload is new. One thread:
// the parent runs one job at a time, and this process should take at most one core.
sharp.cache(false);
sharp.concurrency(1);

function encode(image, type) {
  switch (type) {
    case 'image/png':
      return image.png();
    case 'image/jpeg':
      return image.jpeg({ quality: 88 });
    case 'image/gif':
      return image.gif();
    case 'image/webp':
      return image.webp({ quality: 88 });
    default:
      throw new Error(`not an inline image type: ${type}`);
  }
}

/**
 * Every metadata block is dropped (sharp keeps none unless asked), the EXIF orientation is applied
 * to the pixels first so the picture stays upright, and GIF and WebP keep their animation.
 */
async function clean({ input, type, maxPixels, thumbnailSide }) {
  const animated = type === 'image/gif' || type === 'image/webp';
  const open = (bytes) => sharp(bytes, { animated, limitInputPixels: maxPixels, failOn: 'error' });
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const oriented = animated ? open(bytes) : open(bytes).autoOrient();
  const content = await encode(oriented, type).toBuffer();
  const { width, height, pageHeight } = await sharp(content, { animated }).metadata();
  const shownHeight = pageHeight ?? height;
  if (!width || !shownHeight) return undefined;
  const thumbnail =
    width > thumbnailSide || shownHeight > thumbnailSide
      ? await encode(
          open(content).resize(thumbnailSide, thumbnailSide, { fit: 'inside', withoutEnlargement: true }),
          type,
        ).toBuffer()
      : undefined;
  return { content, thumbnail, width, height: shownHeight };
}

process.on('message', async (request) => {
  let reply;
  try {
    const image = await clean(request);
    reply = image ? { id: request.id, ok: true, ...image } : { id: request.id, ok: false };
  } catch {
    // Unreadable, damaged, or over the pixel limit: the parent refuses the upload.
    reply = { id: request.id, ok: false };
  }
  process.send?.(reply);
});

// The server went away (or closed the channel): nothing is left to do.
process.on('disconnect', () => process.exit(0));
