import type { FileInfo } from './models.js';

/**
 * Files over HTTP (docs/protocol.md, "Files"). One file per request, its bytes as the raw body:
 * `POST /api/files?name=<percent-encoded name>` with `Authorization: Bearer <token>`. The answer
 * (201) is the stored file; its `id` goes into `SendMessagePayload.files`.
 */
export const FILES_PATH = '/api/files';

/** `POST` (with the bearer token) sets the `flack_files` cookie that lets `<img>` load files; `DELETE` clears it. */
export const FILES_ACCESS_PATH = `${FILES_PATH}/access`;

/** Where to upload a file named `name` (the name is for display only). */
export const uploadUrl = (name: string): string => `${FILES_PATH}?name=${encodeURIComponent(name)}`;

/** A file's bytes: an image inline, anything else as a download. Members of its channel only. */
export const fileUrl = (id: string): string => `${FILES_PATH}/${encodeURIComponent(id)}`;

/** An image's thumbnail (THUMBNAIL_MAX_SIDE at most); 404 for files that are not images. */
export const thumbnailUrl = (id: string): string => `${fileUrl(id)}/thumbnail`;

/**
 * `GET /api/files/limits` (with the bearer token): this server's limits, which are configurable
 * (docs/configuration.md), and what the person has stored. The app checks a picked file against
 * them before uploading it, so a file that cannot fit fails at once; the server still enforces them.
 */
export const FILES_LIMITS_PATH = `${FILES_PATH}/limits`;

export interface FileLimits {
  /** The largest file, in bytes (FILE_MAX_BYTES). */
  maxFileBytes: number;
  /** Files one message can carry. */
  filesPerMessage: number;
  /** What one person's files may take together, in bytes (FILES_MAX_BYTES_PER_USER). */
  quotaBytes: number;
  /** What this person's files take now, in bytes. */
  usedBytes: number;
}

/** `POST /api/files` answer: the file as members will see it once it is attached to a message. */
export type UploadResponse = FileInfo;

/**
 * Types shown inline, as detected from the bytes (never from the name or the request header).
 * Their metadata (EXIF, GPS, XMP, comments) is stripped, and a thumbnail is made. Everything else,
 * SVG and HTML included, is a file served as a download.
 */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export type InlineImageType = (typeof INLINE_IMAGE_TYPES)[number];

export function isInlineImageType(type: string): type is InlineImageType {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(type);
}

/** The longest side of a thumbnail, in pixels (`GET /api/files/:id/thumbnail`). */
export const THUMBNAIL_MAX_SIDE = 480;

/** A file name is cut to this many code points (after cleaning). */
export const FILE_NAME_MAX_LENGTH = 200;

/** Control characters, bidirectional overrides and isolates, and other invisible format characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** A half of a surrogate pair without its other half: not a character, and it breaks percent-encoding. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The name a file is stored and shown under: NFC, the last path segment only (both `/` and `\`),
 * without control, bidi-override or other invisible characters, without leading dots or trailing
 * dots and spaces, lone surrogates replaced by U+FFFD, at most FILE_NAME_MAX_LENGTH code points; `file` when nothing is left. The server
 * applies it to every upload; it is for display and the download's suggested name only, never a path.
 */
export function cleanFileName(raw: string): string {
  const segments = raw
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC')
    .replace(UNSAFE_IN_NAME, '')
    .split(/[/\\]/);
  const last = (segments.at(-1) ?? '').trim();
  const cut = [...last.replace(/^\.+/, '')].slice(0, FILE_NAME_MAX_LENGTH).join('');
  const cleaned = cut.replace(/[.\s]+$/u, '');
  return cleaned.length > 0 ? cleaned : 'file';
}
