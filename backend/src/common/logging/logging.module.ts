import { Global, Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import pinoPretty from 'pino-pretty';
import type { Env } from '../../config/env.js';
import { PinoLoggerService } from './pino-logger.service.js';

/**
 * Every route of the app, under the global prefix (`/api`, `/api/...`); static files are not logged.
 * No leading slash, so that the prefix itself matches too (Nest then applies `/api{/*splat}`).
 */
const API_ROUTES = { path: '{/*splat}', method: RequestMethod.ALL };

/**
 * Logs through pino (`app.useLogger(app.get(PinoLoggerService))`): JSON lines, or readable ones
 * (pino-pretty) when stdout is a terminal; and one log line per API request through pino-http. With LOG_LEVEL=silent no request is looked at at all.
 */
@Global()
@Module({
  providers: [
    {
      provide: PinoLoggerService,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        new PinoLoggerService(
          pino(
            {
              level: config.get('LOG_LEVEL', { infer: true }),
              redact: ['req.headers.authorization', 'req.headers.cookie'],
            },
            // A person at a terminal reads lines; a log collector reads JSON.
            process.stdout.isTTY
              ? pinoPretty({
                  colorize: true,
                  ignore: 'pid,hostname,context',
                  messageFormat: '{if context}[{context}] {end}{msg}',
                  translateTime: 'SYS:HH:MM:ss',
                })
              : undefined,
          ),
        ),
    },
  ],
  exports: [PinoLoggerService],
})
export class LoggingModule implements NestModule {
  constructor(private readonly logger: PinoLoggerService) {}

  configure(consumer: MiddlewareConsumer): void {
    if (this.logger.pino.level === 'silent') return;
    consumer
      .apply(
        pinoHttp({
          logger: this.logger.pino,
          // Health probes every few seconds would drown the log.
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
        }),
      )
      .forRoutes(API_ROUTES);
  }
}
