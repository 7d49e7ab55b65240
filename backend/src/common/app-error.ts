import type { ErrorBody, ErrorCode } from '@flack/contract';

/**
 * A failure the client caused or is allowed to know about. Services throw it; the WebSocket filter
 * turns it into an error ack and the HTTP filter into a JSON error body, so both transports speak
 * the same codes.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ErrorBody, 'details' | 'retryAfterMs'> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** The body sent for anything that is not an AppError: no stack, no internals. */
export const INTERNAL_ERROR: ErrorBody = {
  code: 'INTERNAL',
  message: 'Something went wrong on the server. Please try again.',
};
