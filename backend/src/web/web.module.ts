import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from '../config/env.js';
import { serveStaticFiles } from './static-files.js';

/** The Angular build, relative to this file in both `src/` (tests) and `dist/` (production). */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../../frontend/dist/browser', import.meta.url));

/**
 * Adds the static files to Express once Nest has added its routes, so every `/api` route comes
 * first, and before Nest's 404 handler, which still answers what neither knows (`/api/nothing`).
 */
@Injectable()
export class StaticFilesRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onModuleInit(): void {
    const dir = this.config.get('STATIC_DIR', { infer: true }) ?? DEFAULT_STATIC_DIR;
    const express = this.adapterHost.httpAdapter.getInstance<{ use(handler: unknown): unknown }>();
    express.use(serveStaticFiles(resolve(dir)));
  }
}

/** The page: the built Angular app, precompressed and cached (static-files.ts). */
@Module({ providers: [StaticFilesRoute] })
export class WebModule {}
