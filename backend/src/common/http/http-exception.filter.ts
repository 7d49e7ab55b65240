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
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === HttpStatus.NOT_FOUND)
        return [status, { code: 'NOT_FOUND', message: 'No such resource.' }];
      if (status < 500) return [status, { code: 'INVALID', message: exception.message }];
    }
    this.logger.error(exception);
    return [HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR];
  }
}
