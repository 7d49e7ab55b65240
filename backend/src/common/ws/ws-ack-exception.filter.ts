import { Catch, Logger, type ArgumentsHost, type WsExceptionFilter } from '@nestjs/common';
import type { AckResponse } from '@flack/contract';
import { AppError, INTERNAL_ERROR } from '../app-error.js';

/**
 * Answers a failed socket event through its own acknowledgement, so every event gets exactly one
 * reply (instead of Nest's separate `exception` event, which the client cannot match to a request).
 * Unexpected errors are logged and answered INTERNAL, without internals; the process lives on.
 */
@Catch()
export class WsAckExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger(WsAckExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    // Nest calls socket handlers with (socket, payload, ack, pattern); the ack is absent when the
    // client did not ask for one, and then there is nobody to answer.
    const ack: unknown = host.getArgByIndex(2);
    const response = this.responseFor(exception);
    if (typeof ack === 'function') ack(response);
  }

  /** The error answer for `exception`; also used by handlers that run outside Nest's pipeline. */
  responseFor(exception: unknown): AckResponse<never> {
    if (exception instanceof AppError) return { ok: false, error: exception.toBody() };
    this.logger.error(exception);
    return { ok: false, error: INTERNAL_ERROR };
  }
}
