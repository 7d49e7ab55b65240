import type { IncomingMessage } from 'node:http';
import { AppError } from '../common/app-error.js';

export const tooLarge = (maxBytes: number): AppError =>
  new AppError('TOO_LARGE', `A file can be at most ${formatBytes(maxBytes)}.`);

export const interrupted = (): AppError =>
  new AppError('INVALID', 'The upload was interrupted before the whole file arrived. Please try again.');

/** `10 MB`, `512 kB`, `300 bytes`: sizes in the words people read (SI units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${Number((bytes / 1_000_000).toFixed(1))} MB`;
  if (bytes >= 1_000) return `${Number((bytes / 1_000).toFixed(1))} kB`;
  return `${bytes} bytes`;
}

/**
 * The declared body length, or undefined for a chunked body. A malformed header is INVALID (Node
 * refuses most of them before this runs).
 */
export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  if (!/^\d+$/.test(header)) throw new AppError('INVALID', 'The Content-Length header is not a number.');
  return Number(header);
}

/**
 * Reads the request body as it streams in, never holding more than `maxBytes` of it: past that it
 * stops reading and fails with TOO_LARGE. `onProgress` is told the bytes received so far after
 * each piece; while a promise it returns is pending, reading is paused (the quota reservation grows
 * there), and if it rejects, reading stops with that error.
 *
 * With a declared length (at most `maxBytes`, checked before) each piece is copied into one buffer
 * of that size as it arrives: joining 10 MB of pieces at the end blocked the event loop for tens
 * of milliseconds (fresh memory is faulted in page by page), which chat messages waited behind.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  onProgress: (received: number) => Promise<void> | undefined,
  declaredBytes?: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const whole = declaredBytes === undefined ? undefined : Buffer.allocUnsafeSlow(declaredBytes);
    const pieces: Buffer[] = [];
    let received = 0;
    let settled = false;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', fail);
      request.off('close', onClose);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      request.pause();
      reject(error instanceof Error ? error : interrupted());
    };
    const onData = (piece: Buffer) => {
      const at = received;
      received += piece.length;
      if (received > maxBytes || (whole && received > whole.length)) return fail(tooLarge(maxBytes));
      if (whole) piece.copy(whole, at);
      else pieces.push(piece);
      const pending = onProgress(received);
      if (!pending) return;
      request.pause();
      pending.then(() => {
        if (!settled) request.resume();
      }, fail);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(whole ? whole.subarray(0, received) : Buffer.concat(pieces, received));
    };
    const onClose = () => {
      if (!request.complete) fail(interrupted());
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', fail);
    request.on('close', onClose);
  });
}
