import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { User } from '@flack/contract';
import type { IncomingMessage } from 'node:http';
import { SessionsService } from '../sessions/sessions.service.js';

/** The cookie that lets `<img src="/api/files/…">` carry the session (`POST /api/files/access`). */
export const FILES_COOKIE = 'flack_files';

/**
 * Who is asking, for the file routes: the session token from `Authorization: Bearer <token>`, or
 * (for fetching only) from the `flack_files` cookie, since an `<img>` cannot send a header.
 *
 * SessionsService is looked up once at start-up instead of injected: SessionsModule sits above
 * every feature (it imports Messages, which imports the file store), so importing it here would be
 * a cycle, and sessions exports nothing.
 */
@Injectable()
export class FileSessions implements OnModuleInit {
  private sessions!: SessionsService;

  constructor(private readonly modules: ModuleRef) {}

  onModuleInit(): void {
    this.sessions = this.modules.get(SessionsService, { strict: false });
  }

  /** The bearer token of the request, if it sent one. */
  static bearer(request: IncomingMessage): string | undefined {
    const header = request.headers.authorization;
    const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : undefined;
  }

  /** The `flack_files` cookie, if the request carries it. */
  static cookie(request: IncomingMessage): string | undefined {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === FILES_COOKIE) return value.join('=') || undefined;
    }
    return undefined;
  }

  /** The user of a bearer token, or undefined. */
  byHeader(request: IncomingMessage): Promise<User | undefined> {
    return this.sessions.authenticate(FileSessions.bearer(request));
  }

  /** The user of a bearer token, else of the cookie, or undefined. */
  async byHeaderOrCookie(request: IncomingMessage): Promise<User | undefined> {
    const bearer = FileSessions.bearer(request);
    if (bearer) return this.sessions.authenticate(bearer);
    return this.sessions.authenticate(FileSessions.cookie(request));
  }
}
