import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import type { Env } from './config/env.js';

const app = await createApp();
const config = app.get<ConfigService<Env, true>>(ConfigService);
const port = config.get('PORT', { infer: true });
const host = config.get('HOST', { infer: true });
await (host ? app.listen(port, host) : app.listen(port));
new Logger('Flack').log(`Flack is listening on ${await app.getUrl()}`);
