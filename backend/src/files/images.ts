import { THUMBNAIL_MAX_SIDE, type InlineImageType } from '@flack/contract';
import sharp, { type Sharp } from 'sharp';
import { AppError } from '../common/app-error.js';

/**
 * Images larger than this many pixels (all frames together) are refused before they are decoded:
 * a small file can declare a huge canvas (a decompression bomb). 50 MP is more than phone cameras
 * take, and about 200 MB of pixels while it is worked on.
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

/**
 * Images worked on at once, each on one libvips thread; the others wait. Bounds the memory decoded
 * pixels take, and leaves the other cores to chat: with libvips' default (a thread per core) two
 * uploads of 1 MB photos took every core of a 2-core server, and messages waited behind them.
 */
const IMAGE_JOBS = 1;

// libvips' operation cache would keep decoded uploads around; every upload is new.
sharp.cache(false);
sharp.concurrency(1);

export interface CleanImage {
  /** Re-encoded without metadata (EXIF with its GPS position, XMP, IPTC, comments), upright. */
  content: Buffer;
  /** At most THUMBNAIL_MAX_SIDE on each side; absent when the image is no larger than that. */
  thumbnail?: Buffer;
  width: number;
  height: number;
}

const unreadable = () =>
  new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    'That image could not be read (it may be damaged, or too large in pixels). Try another file.',
  );

let running = 0;
const waiting: (() => void)[] = [];

async function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
  if (running >= IMAGE_JOBS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Decodes and re-encodes an inline image with sharp: every metadata block is dropped (sharp keeps
 * none unless asked), the EXIF orientation is applied to the pixels first so the picture stays
 * upright, and GIF and WebP keep their animation. Unreadable images are refused rather than
 * stored as they came, since their metadata could not be removed.
 */
export function cleanImage(input: Buffer, type: InlineImageType): Promise<CleanImage> {
  return oneAtATime(async () => {
    try {
      const animated = type === 'image/gif' || type === 'image/webp';
      const open = (bytes: Buffer) =>
        sharp(bytes, { animated, limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' });
      const oriented = animated ? open(input) : open(input).autoOrient();
      const content = await encode(oriented, type).toBuffer();
      const { width, height, pageHeight } = await sharp(content, { animated }).metadata();
      const shownHeight = pageHeight ?? height;
      if (!width || !shownHeight) throw unreadable();
      const thumbnail =
        width > THUMBNAIL_MAX_SIDE || shownHeight > THUMBNAIL_MAX_SIDE
          ? await encode(
              open(content).resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, {
                fit: 'inside',
                withoutEnlargement: true,
              }),
              type,
            ).toBuffer()
          : undefined;
      return { content, thumbnail, width, height: shownHeight };
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unreadable();
    }
  });
}

function encode(image: Sharp, type: InlineImageType): Sharp {
  switch (type) {
    case 'image/png':
      return image.png();
    case 'image/jpeg':
      return image.jpeg({ quality: 88 });
    case 'image/gif':
      return image.gif();
    case 'image/webp':
      return image.webp({ quality: 88 });
  }
}
