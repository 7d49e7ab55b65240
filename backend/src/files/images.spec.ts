import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { THUMBNAIL_MAX_SIDE } from '@flack/contract';
import { getPriority } from 'node:os';
import sharp from 'sharp';
import { IMAGE_WORKER_NICENESS, ImageCleaner } from './images.js';

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .withExif({ IFD0: { Artist: 'Ann', ImageDescription: 'at home' } })
    .jpeg()
    .toBuffer();

describe('ImageCleaner', () => {
  // Real images in a real child process, on a two-core machine that may be busy.
  jest.setTimeout(20_000);
  let cleaner: ImageCleaner;
  afterEach(() => cleaner.onModuleDestroy());

  it('re-encodes without metadata and makes a thumbnail, in a process of lower priority', async () => {
    cleaner = new ImageCleaner();
    const image = await cleaner.clean(await photo(1200, 800), 'image/jpeg');
    expect({ width: image.width, height: image.height }).toEqual({ width: 1200, height: 800 });
    expect((await sharp(image.content).metadata()).exif).toBeUndefined();
    const thumbnail = await sharp(image.thumbnail).metadata();
    expect(Math.max(thumbnail.width!, thumbnail.height!)).toBe(THUMBNAIL_MAX_SIDE);
    const pid = cleaner.processId!;
    expect(pid).not.toBe(process.pid);
    expect(getPriority(pid)).toBe(getPriority() + IMAGE_WORKER_NICENESS);
  });

  it('answers images given at once each with its own result, one after another', async () => {
    cleaner = new ImageCleaner();
    const sizes = [
      [640, 480],
      [300, 200],
      [900, 901],
      [50, 60],
    ];
    const images = await Promise.all(
      sizes.map(async ([w, h]) => cleaner.clean(await photo(w, h), 'image/jpeg')),
    );
    expect(images.map(({ width, height }) => [width, height])).toEqual(sizes);
  });

  it('refuses a damaged image and still cleans the next one', async () => {
    cleaner = new ImageCleaner();
    const good = await photo(100, 100);
    const damaged = Buffer.concat([good.subarray(0, 200), Buffer.alloc(500, 7)]);
    await expect(cleaner.clean(damaged, 'image/jpeg')).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    await expect(cleaner.clean(good, 'image/jpeg')).resolves.toMatchObject({ width: 100 });
  });

  it('refuses the image being worked on when its process dies, and starts a new one after', async () => {
    cleaner = new ImageCleaner();
    await cleaner.clean(await photo(10, 10), 'image/jpeg');
    const first = cleaner.processId!;
    const working = cleaner.clean(await photo(2000, 1500), 'image/jpeg');
    process.kill(first, 'SIGKILL');
    await expect(working).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    await expect(cleaner.clean(await photo(20, 10), 'image/jpeg')).resolves.toMatchObject({ width: 20 });
    expect(cleaner.processId).not.toBe(first);
  });
});
