import { LIMITS, type FileInfo } from '@flack/contract';
import type { AppError } from '../core/app-error';

export const FILES_PER_MESSAGE = LIMITS.filesPerMessage;

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** `532 bytes`, `1.2 MB`, in the reader's locale (Intl); SI units, as the server's messages and file managers say. */
export function formatBytes(bytes: number, locale?: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

export type FileKind = 'image' | 'video' | 'audio' | 'pdf' | 'archive' | 'text' | 'file';

/** Which icon a file card shows, from the type the server detected. */
export function fileKind(type: string): FileKind {
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'application/pdf') return 'pdf';
  if (/zip|gzip|x-tar|x-7z|x-rar|x-bzip/.test(type)) return 'archive';
  if (type.startsWith('text/') || type === 'application/json') return 'text';
  return 'file';
}

export interface Box {
  width: number;
  height: number;
}

/**
 * The size an image is shown at: its own size when it fits, else scaled down (never up) to fit
 * `max`, aspect ratio kept, at least 1 px a side. Known before the image loads, so nothing moves.
 */
export function fitImage(image: Box, max: Box): Box {
  const scale = Math.min(1, max.width / image.width, max.height / image.height);
  return {
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  };
}

/** One image shows large; several share the row. */
export function imageBoxFor(file: FileInfo, imagesInMessage: number): Box | null {
  if (!file.image) return null;
  const max = imagesInMessage === 1 ? { width: 360, height: 270 } : { width: 200, height: 150 };
  return fitImage(file.image, max);
}

/** Why an upload failed, in words: the server's sentence after what kind of problem it is. */
export function uploadFailure(error: AppError): string {
  switch (error.code) {
    case 'TOO_LARGE':
      return `Too large. ${error.message}`;
    case 'QUOTA_EXCEEDED':
      return `Storage is full. ${error.message}`;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return `Type not allowed. ${error.message}`;
    case 'RATE_LIMITED':
      return 'Too many uploads at once. Wait a moment, then retry.';
    case 'OFFLINE':
      return 'Offline. Retry once the connection is back.';
    case 'NETWORK':
      return 'Could not reach Flack. Check your connection, then retry.';
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again, then retry.';
    default:
      return error.message;
  }
}

/** The server's own words for a file over its `maxFileBytes` (FileLimits). */
export function tooLargeBeforeUpload(maxFileBytes: number): AppError {
  return { code: 'TOO_LARGE', message: `A file can be at most ${formatBytes(maxFileBytes, 'en')}.` };
}
