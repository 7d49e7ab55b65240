import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Nest's exception handlers call `error(message, stack, context)`; pino wants the error itself. */
const isStackTrace = (value: unknown) => typeof value === 'string' && /\n\s*at /.test(value);

/**
 * Nest's logger interface over one pino logger: JSON lines with `context` (the class that logged)
 * and `err` for errors.
 *
 * There is no per-request logging context (nestjs-pino's AsyncLocalStorage): once enabled, it puts
 * a hook on every promise the process creates, and a socket message goes through dozens of them.
 * Request log lines carry the request id; other lines carry their context.
 */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Pino) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the context last (`new Logger('Flack').log('...')` → `log('...', 'Flack')`). */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0) {
      fields['context'] = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields['err'] = message;
      this.pino[level](fields, ...(rest as []));
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level](Object.assign(fields, message), ...(rest as []));
    } else if (level === 'error' && rest.length === 1 && isStackTrace(rest[0])) {
      const err = new Error(String(message));
      err.stack = rest[0] as string;
      this.pino[level]({ ...fields, err });
    } else {
      this.pino[level](fields, String(message), ...(rest as []));
    }
  }
}
