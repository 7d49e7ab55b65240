import { Injectable, SetMetadata, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { AckResponse, User } from '@flack/contract';
import type { Socket } from 'socket.io';
import { RATE_LIMIT_KIND, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { RateLimiter, type RateLimitKind } from '../rate-limit/rate-limiter.service.js';
import { FlackValidationPipe } from '../validation/validation.js';
import { WsAckExceptionFilter } from './ws-ack-exception.filter.js';

const HOT_PATH = 'flack:hot-path';
/** `@SubscribeMessage`'s metadata key (from @nestjs/websockets' constants). */
const MESSAGE_METADATA = 'message';

/**
 * Marks a `@SubscribeMessage(event)` handler of the shape `(@SessionUser() user, @MessageBody() dto)`
 * as hot: FlackIoAdapter calls it through `HotPaths` instead of Nest's per-call pipeline, which
 * costs a dozen promises and ~10 kB of garbage per call (docs/performance.md). The steps are the
 * same, taken by the very same functions: the rate limit RateLimitGuard counts (`@RateLimit`), the
 * app's validation pipe, the handler, and errors answered as WsAckExceptionFilter answers them.
 * A parity test runs one payload table through both paths.
 */
export const HotPath = (): MethodDecorator => SetMetadata(HOT_PATH, true);

/** One hot handler, ready to answer one socket's event with its ack. */
export type HotRoute = (socket: Socket, payload: unknown) => Promise<AckResponse<unknown>>;

type Handler = (user: User, body: unknown) => Promise<AckResponse<unknown>>;

/**
 * Finds the `@HotPath()` handlers at start-up and refuses to start when one of them carries
 * anything the hot path would skip (a guard other than RateLimitGuard, an interceptor, a pipe, a
 * filter other than WsAckExceptionFilter, another parameter), so a future guard cannot silently
 * miss the hottest event.
 */
@Injectable()
export class HotPaths implements OnApplicationBootstrap {
  private readonly routes = new Map<string, HotRoute>();
  private readonly errors = new WsAckExceptionFilter();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly config: ApplicationConfig,
    private readonly limiter: RateLimiter,
    private readonly pipe: FlackValidationPipe,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.getGlobalGuards().length > 0 || this.config.getGlobalInterceptors().length > 0) {
      throw new Error('A global guard or interceptor is not run by the hot path (common/ws/hot-path.ts).');
    }
    if (this.config.getGlobalPipes().some((pipe) => pipe !== this.pipe)) {
      throw new Error('The hot path runs FlackValidationPipe only; another global pipe would be skipped.');
    }
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name] as Handler;
        if (this.reflector.get<boolean>(HOT_PATH, method)) this.add(instance, name, method);
      }
    }
  }

  /** The hot route for an event, if its handler is marked `@HotPath()`. */
  route(event: string): HotRoute | undefined {
    return this.routes.get(event);
  }

  private add(instance: object, name: string, method: Handler): void {
    const gateway = instance.constructor as Type;
    const event = this.reflector.get<string>(MESSAGE_METADATA, method);
    const where = `${gateway.name}.${name}`;
    if (!event) throw new Error(`${where} is @HotPath() but not a @SubscribeMessage handler.`);
    this.refuseSkippedSteps(gateway, name, method, where);
    const kind = this.reflector.get<RateLimitKind | undefined>(RATE_LIMIT_KIND, method);
    const [, dto] = Reflect.getMetadata('design:paramtypes', instance, name) as [unknown, Type];
    const body = { type: 'body', metatype: dto, data: undefined } as const;
    this.routes.set(event, async (socket, payload) => {
      try {
        const user = (socket.data as { user: User }).user;
        if (kind) await this.limiter.consume(kind, user.id);
        return await method.call(instance, user, await this.pipe.transform(payload, body));
      } catch (error) {
        return this.errors.responseFor(error);
      }
    });
  }

  private refuseSkippedSteps(gateway: Type, name: string, method: Handler, where: string): void {
    const onBoth = (key: string) => [
      ...((Reflect.getMetadata(key, gateway) as unknown[] | undefined) ?? []),
      ...((Reflect.getMetadata(key, method) as unknown[] | undefined) ?? []),
    ];
    const problems = [
      onBoth(GUARDS_METADATA).some((guard) => guard !== RateLimitGuard) &&
        'a guard other than RateLimitGuard',
      onBoth(INTERCEPTORS_METADATA).length > 0 && 'an interceptor',
      onBoth(PIPES_METADATA).length > 0 && 'a pipe',
      onBoth(EXCEPTION_FILTERS_METADATA).some((filter) => filter !== WsAckExceptionFilter) &&
        'a filter other than WsAckExceptionFilter',
      Object.keys((Reflect.getMetadata(ROUTE_ARGS_METADATA, gateway, name) as object) ?? {}).length !== 2 &&
        'parameters other than (@SessionUser() user, @MessageBody() body)',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`${where} is @HotPath() but has ${problems.join(', ')}.`);
  }
}
