import { describe, expect, it } from '@jest/globals';
import { cleanFileName, FILE_NAME_MAX_LENGTH, isInlineImageType } from './files.js';

describe('cleanFileName', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\ada\\notes.txt', 'notes.txt'],
    ['dir/', 'file'],
    ['.htaccess', 'htaccess'],
    ['name. . .', 'name'],
    ['  spaced  ', 'spaced'],
    ['line\r\nbreak.txt', 'linebreak.txt'],
    ['tab\there', 'tabhere'],
    ['\u202Etxt.exe', 'txt.exe'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['e\u0301t\u00e9.png', '\u00e9t\u00e9.png'],
    ['half \ud83d.txt', 'half \ufffd.txt'],
    ['📄 notes.pdf', '📄 notes.pdf'],
    ['', 'file'],
  ])('%j is stored as %j', (raw, cleaned) => {
    expect(cleanFileName(raw)).toBe(cleaned);
  });

  it('cuts a long name to FILE_NAME_MAX_LENGTH code points without splitting one', () => {
    const name = cleanFileName('😀'.repeat(FILE_NAME_MAX_LENGTH + 5));
    expect([...name]).toHaveLength(FILE_NAME_MAX_LENGTH);
    expect(name).toBe('😀'.repeat(FILE_NAME_MAX_LENGTH));
  });
});

describe('isInlineImageType', () => {
  it('is PNG, JPEG, GIF and WebP only: never SVG or HTML', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
      expect(isInlineImageType(type)).toBe(true);
    for (const type of [
      'image/svg+xml',
      'text/html',
      'application/octet-stream',
      'image/PNG',
      'image/avif',
    ]) {
      expect(isInlineImageType(type)).toBe(false);
    }
  });
});
