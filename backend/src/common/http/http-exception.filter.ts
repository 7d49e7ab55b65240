import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@flack/contract';
import type { Response } from 'express';
import { AppError, INTERNAL_ERROR } from '../app-error.js';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  INVALID: HttpStatus.BAD_REQUEST,
  NAME_TAKEN: HttpStatus.CONFLICT,
  CHANNEL_EXISTS: HttpStatus.CONFLICT,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  NOT_A_MEMBER: HttpStatus.FORBIDDEN,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  INTERNAL: HttpStatus.INTERNAL_SERVER_ERROR,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  // The body does not fit in the space left (the person's quota or the server's): 413, as a file
  // over the size limit, so a client that knows only HTTP stops resending it.
  QUOTA_EXCEEDED: HttpStatus.PAYLOAD_TOO_LARGE,
};

/** The HTTP status a REST error with this code answers with; the code decides, one to one. */
export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/**
 * What Express's own failures become: Nest's HttpExceptions, and the body parser's errors (plain
 * errors with a `status`: 413 for a body over the limit, 415 for a charset it cannot read, 400
 * for JSON it cannot parse).
 */
const BODY_BY_STATUS: Partial<Record<number, ErrorBody>> = {
  [HttpStatus.NOT_FOUND]: { code: 'NOT_FOUND', message: 'No such resource.' },
  [HttpStatus.PAYLOAD_TOO_LARGE]: { code: 'TOO_LARGE', message: 'The request is too large.' },
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'The request body must be JSON (Content-Type: application/json, UTF-8).',
  },
};

/** REST errors use the same `ErrorBody` as socket acks. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.toResponse(exception);
    response.status(status).json(body);
  }

  private toResponse(exception: unknown): [number, ErrorBody] {
    if (exception instanceof AppError) return [STATUS_BY_CODE[exception.code], exception.toBody()];
    const status = statusOfHttpError(exception);
    if (status !== undefined && status < 500) {
      const known = BODY_BY_STATUS[status];
      if (known) return [statusOf(known.code), known];
      return [status, { code: 'INVALID', message: (exception as Error).message }];
    }
    this.logger.error(exception);
    return [HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR];
  }
}

/** The status of an HttpException or of an error from Express's middleware (http-errors). */
function statusOfHttpError(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const { status, expose } = (exception ?? {}) as { status?: unknown; expose?: unknown };
  return exception instanceof Error && expose === true && typeof status === 'number' ? status : undefined;
}
