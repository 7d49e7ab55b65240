import type { ErrorBody, ErrorCode } from '@flack/contract';

/** Failures the client detects itself, next to the codes the server answers with. */
export type ClientErrorCode = 'TIMEOUT' | 'OFFLINE' | 'NETWORK';

/** What the app shows to the person: a server `ErrorBody`, or one the client made up. */
export interface AppError extends Omit<ErrorBody, 'code'> {
  code: ErrorCode | ClientErrorCode;
}

/** Thrown by the socket service and the REST client; `body` is ready to show. */
export class RequestError extends Error {
  constructor(readonly body: AppError) {
    super(body.message);
    this.name = 'RequestError';
  }
}

export const CLIENT_ERRORS = {
  TIMEOUT: { code: 'TIMEOUT', message: 'The server did not answer in time. Please try again.' },
  OFFLINE: { code: 'OFFLINE', message: 'You are offline. Try again once the connection is back.' },
  NETWORK: { code: 'NETWORK', message: 'Cannot reach Flack. Check your connection and try again.' },
} as const satisfies Record<ClientErrorCode, AppError>;

/** Turns anything thrown by a request into something to show. */
export function toAppError(error: unknown): AppError {
  if (error instanceof RequestError) return error.body;
  return { code: 'INTERNAL', message: 'Something went wrong. Please try again.' };
}

/** The server's sentence, followed by its per-field details when it sent any. */
export function describeError(error: AppError): string[] {
  const details = Object.values(error.details ?? {}).flat();
  return [error.message, ...details.filter((line) => line !== error.message)];
}

/** Whether a REST answer's body is Flack's `{ code, message }` (a proxy's own error page is not). */
export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}
