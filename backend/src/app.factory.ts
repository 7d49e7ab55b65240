import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { API_PREFIX } from '@flack/contract';
import { AppModule, DEFAULT_STATIC_DIR, type EnvOverrides } from './app.module.js';
import { HttpExceptionFilter } from './common/http/http-exception.filter.js';
import { allowedOriginsOf } from './common/http/origin.js';
import { useSecurityHeaders } from './common/http/security-headers.js';
import { guardStateChangingRequests } from './common/http/state-changing-requests.js';
import { PinoLoggerService } from './common/logging/pino-logger.service.js';
import { FlackValidationPipe } from './common/validation/validation.js';
import { FlackIoAdapter, type FlackIoAdapterOptions } from './common/ws/flack-io.adapter.js';
import { answerChannelListingFirst } from './channels/channel-listing.route.js';
import { ChannelsService } from './channels/channels.service.js';
import type { Env } from './config/env.js';

/**
 * Builds the whole application, configured exactly as in production. `main.ts` listens on the
 * configured port; tests call `app.listen(0, '127.0.0.1')`.
 */
export async function createApp(
  overrides: EnvOverrides = {},
  socketOptions: FlackIoAdapterOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(overrides), {
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoLoggerService));
  app.setGlobalPrefix(API_PREFIX.slice(1));
  app.useGlobalPipes(app.get(FlackValidationPipe));
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useWebSocketAdapter(new FlackIoAdapter(app, socketOptions));
  const config = app.get<ConfigService<Env, true>>(ConfigService);
  const staticDir = config.get('STATIC_DIR', { infer: true }) ?? DEFAULT_STATIC_DIR;
  const securityHeaders = useSecurityHeaders(app, staticDir);
  // Before the body parsers: a cross-site or non-JSON request that would change something is refused unread.
  app.use(guardStateChangingRequests(allowedOriginsOf(app)));
  answerChannelListingFirst(app.getHttpServer(), app.get(ChannelsService), securityHeaders);
  app.disable('x-powered-by');
  const trustProxy = config.get('TRUST_PROXY', { infer: true });
  if (trustProxy) app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.enableShutdownHooks();

  const openApi = new DocumentBuilder()
    .setTitle('Flack')
    .setDescription('REST side of Flack. Chat itself runs over Socket.IO; see docs/protocol.md.')
    .build();
  SwaggerModule.setup(`${API_PREFIX.slice(1)}/docs`, app, () => SwaggerModule.createDocument(app, openApi));
  return app;
}
