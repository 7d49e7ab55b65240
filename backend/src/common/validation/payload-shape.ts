import { AppError } from '../app-error.js';

/** No Flack payload nests deeper than this (a payload object holding strings and numbers is 1). */
export const MAX_PAYLOAD_DEPTH = 4;
/** Nor holds more values than this, counting every key and array item at every level. */
export const MAX_PAYLOAD_VALUES = 200;

/**
 * Refuses a payload by its shape before anything transforms it: class-transformer and
 * class-validator recurse, so 30,000 nested arrays in a 60 KB frame cost tens of milliseconds and
 * overflowed the stack (INTERNAL) before. This walks iteratively and stops at the first level or
 * value too many, so its cost is bounded by the limits, not by the payload.
 */
export function refuseOversizedShape(payload: unknown): void {
  if (typeof payload !== 'object' || payload === null) return;
  const pending: [value: object, depth: number][] = [[payload, 1]];
  let values = 0;
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (depth > MAX_PAYLOAD_DEPTH) throw shapeError('The request is nested too deeply.');
    for (const key in value) {
      if (++values > MAX_PAYLOAD_VALUES) throw shapeError('The request holds too many values.');
      const child = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push([child, depth + 1]);
    }
  }
}

function shapeError(message: string): AppError {
  return new AppError('INVALID', message, { details: { payload: [message] } });
}
