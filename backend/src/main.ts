import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.factory.js';
import type { Env } from './config/env.js';

const app = await createApp();
const config = app.get<ConfigService<Env, true>>(ConfigService);
const port = config.get('PORT', { infer: true });
const host = config.get('HOST', { infer: true });
await (host ? app.listen(port, host) : app.listen(port));
// Bound to every interface, the address a person opens is localhost (getUrl() would say [::1]).
const { port: bound } = app.getHttpServer().address() as AddressInfo;
new Logger('Flack').log(`Flack is listening on ${host ? await app.getUrl() : `http://localhost:${bound}`}`);
