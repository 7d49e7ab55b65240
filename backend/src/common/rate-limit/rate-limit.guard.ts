import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { FlackSocket } from '../ws/socket-types.js';
import { RateLimiter, type RateLimitKind } from './rate-limiter.service.js';

export const RATE_LIMIT_KIND = 'flack:rate-limit';

/** Marks a socket handler or route as counted against a rate limit (see RateLimitGuard). */
export const RateLimit = (kind: RateLimitKind) => SetMetadata(RATE_LIMIT_KIND, kind);

/**
 * Counts marked handlers per user (socket) or per IP address (HTTP, where there is no session
 * yet). Over the limit, the handler does not run and the client gets RATE_LIMITED.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = this.reflector.get<RateLimitKind | undefined>(RATE_LIMIT_KIND, context.getHandler());
    if (!kind) return true;
    const key =
      context.getType() === 'ws'
        ? context.switchToWs().getClient<FlackSocket>().data.user.id
        : (context.switchToHttp().getRequest<Request>().ip ?? 'unknown');
    await this.limiter.consume(kind, key);
    return true;
  }
}
