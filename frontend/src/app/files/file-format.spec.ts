import { fileKind, fitImage, formatBytes, imageBoxFor } from './file-format';

describe('file formatting', () => {
  it('formats sizes in words, with the locale’s digits', () => {
    expect(formatBytes(12, 'en')).toBe('12 bytes');
    expect(formatBytes(1_234, 'en')).toBe('1.2 kB');
    expect(formatBytes(10_485_760, 'en')).toBe('10.5 MB');
    expect(formatBytes(1_234, 'de')).toBe('1,2 kB');
  });

  it('scales an image down to fit, never up, keeping its shape', () => {
    expect(fitImage({ width: 640, height: 480 }, { width: 360, height: 270 })).toEqual({
      width: 360,
      height: 270,
    });
    expect(fitImage({ width: 100, height: 50 }, { width: 360, height: 270 })).toEqual({
      width: 100,
      height: 50,
    });
    expect(fitImage({ width: 300, height: 3000 }, { width: 360, height: 270 })).toEqual({
      width: 27,
      height: 270,
    });
    expect(fitImage({ width: 10_000, height: 1 }, { width: 360, height: 270 })).toEqual({
      width: 360,
      height: 1,
    });
  });

  it('shows one image large and several smaller; files without image size get no box', () => {
    const photo = {
      id: 'p',
      name: 'p.jpg',
      type: 'image/jpeg',
      size: 1,
      image: { width: 1600, height: 1200 },
    };
    expect(imageBoxFor(photo, 1)).toEqual({ width: 360, height: 270 });
    expect(imageBoxFor(photo, 3)).toEqual({ width: 200, height: 150 });
    expect(imageBoxFor({ id: 's', name: 'x.svg', type: 'image/svg+xml', size: 1 }, 1)).toBeNull();
  });

  it('picks an icon from the detected type', () => {
    expect(fileKind('application/pdf')).toBe('pdf');
    expect(fileKind('application/zip')).toBe('archive');
    expect(fileKind('text/plain')).toBe('text');
    expect(fileKind('image/svg+xml')).toBe('image');
    expect(fileKind('application/octet-stream')).toBe('file');
  });
});
