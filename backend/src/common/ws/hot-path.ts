import {
  Injectable,
  type ArgumentMetadata,
  type OnApplicationBootstrap,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import {
  CUSTOM_ROUTE_ARGS_METADATA,
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { ApplicationConfig, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import {
  GATEWAY_METADATA,
  GATEWAY_OPTIONS,
  MESSAGE_MAPPING_METADATA,
  MESSAGE_METADATA,
  PORT_METADATA,
} from '@nestjs/websockets/constants.js';
// What Nest hands a handler that declares no parameter (socket, payload, ack), and its parameter kinds.
import { DEFAULT_CALLBACK_METADATA } from '@nestjs/websockets/context/ws-metadata-constants.js';
import { WsParamtype } from '@nestjs/websockets/enums/ws-paramtype.enum.js';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Socket } from 'socket.io';
import { isThenable } from '../maybe-promise.js';
import { RATE_LIMIT_KIND, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { RateLimiter, type RateLimitKind } from '../rate-limit/rate-limiter.service.js';
import { FlackValidationPipe } from '../validation/validation.js';
import { SOCKET_PARAMETERS } from './session-user.decorator.js';
import type { FlackSocket } from './socket-types.js';
import { WsAckExceptionFilter } from './ws-ack-exception.filter.js';

type Ack = (response: unknown) => void;

/**
 * One handler, ready to answer one socket's event: resolves what the client's ack gets (undefined
 * for a handler that acks by itself, `@Ack()`, and for one that answers nothing).
 */
export type HotRoute = (socket: Socket, payload: unknown, ack: Ack | undefined) => Promise<unknown>;

const { SOCKET, PAYLOAD, ACK } = WsParamtype;

/** One entry of ROUTE_ARGS_METADATA, as Nest's parameter decorators record it. */
interface ParameterMetadata {
  index: number;
  data?: unknown;
  pipes?: unknown[];
  schema?: unknown;
  factory?: unknown;
}

/** How one argument is made: read from the event, then validated when it is a payload. */
interface Argument {
  index: number;
  read: (socket: FlackSocket, payload: unknown, ack: Ack | undefined) => unknown;
  /** What the validation pipe is told about a payload argument (Nest's own metadata for it). */
  validation?: ArgumentMetadata;
}

/** A gateway's own hooks, called once per socket: OnGatewayConnection, OnGatewayDisconnect. */
interface Gateway {
  handleConnection?(socket: Socket): unknown;
  handleDisconnect?(socket: Socket, reason: unknown): unknown;
}

type Method = (...args: unknown[]) => unknown;

/**
 * Every `@SubscribeMessage` handler of every gateway, called without Nest's per-call RxJS
 * pipeline (a dozen promises and ~10 kB of garbage per call, docs/performance.md) and without
 * Nest's per-socket binding (every handler of every gateway bound to every socket, which is most of
 * what an idle connection costs). The steps are the same, taken by the very same functions: the
 * rate limit RateLimitGuard counts (`@RateLimit`), the app's validation pipe on each payload
 * argument, the handler with the arguments Nest would give it, and errors answered as
 * WsAckExceptionFilter answers them. A parity test runs every client event through both paths.
 *
 * At start-up it refuses a handler that carries anything it would skip (a guard other than
 * RateLimitGuard, an interceptor, a pipe of its own, a filter other than WsAckExceptionFilter or
 * none, a parameter decorator it does not know), so nothing a future handler asks for is skipped
 * silently. It also calls each gateway's `handleConnection` and `handleDisconnect`, as Nest's
 * per-gateway connection listener does, so a socket keeps no callback of its own.
 */
@Injectable()
export class HotPaths implements OnApplicationBootstrap {
  private readonly routes = new Map<string, HotRoute>();
  /** The gateways with a `handleConnection` and with a `handleDisconnect`, in Nest's order. */
  private readonly onConnection: Gateway[] = [];
  private readonly onDisconnection: Gateway[] = [];
  private readonly errors = new WsAckExceptionFilter();
  private validate = false;

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
    const pipes = this.config.getGlobalPipes();
    if (pipes.some((pipe: PipeTransform) => pipe !== this.pipe)) {
      throw new Error('The hot path runs FlackValidationPipe only; another global pipe would be skipped.');
    }
    // Nest validates socket payloads with the global pipes: none registered, none run here either.
    this.validate = pipes.length > 0;
    for (const wrapper of this.discovery.getProviders()) {
      const gateway = wrapper.metatype as Type | undefined;
      if (gateway && Reflect.getMetadata(GATEWAY_METADATA, gateway)) this.addGateway(wrapper, gateway);
    }
  }

  /** The route for an event; undefined for an event no gateway handles. */
  route(event: string): HotRoute | undefined {
    return this.routes.get(event);
  }

  /** A socket passed the handshake: each gateway's `handleConnection`, in the order Nest calls them. */
  connected(socket: Socket): void {
    for (const gateway of this.onConnection) this.settle(() => gateway.handleConnection!(socket));
  }

  /** A socket is gone: each gateway's `handleDisconnect`, in the same order. */
  disconnected(socket: Socket, reason: unknown): void {
    for (const gateway of this.onDisconnection) this.settle(() => gateway.handleDisconnect!(socket, reason));
  }

  /**
   * Runs a hook; a failure, thrown or in the promise it returns, is logged as the filter logs one
   * (one socket's hook failing is no reason to end the process), and the other gateways' run.
   */
  private settle(hook: () => unknown): void {
    try {
      const result = hook();
      if (isThenable(result))
        Promise.resolve(result).catch((error: unknown) => this.errors.responseFor(error));
    } catch (error) {
      this.errors.responseFor(error);
    }
  }

  private addGateway(wrapper: InstanceWrapper, gateway: Type): void {
    const options = (Reflect.getMetadata(GATEWAY_OPTIONS, gateway) ?? {}) as { namespace?: unknown };
    if (
      !wrapper.isDependencyTreeStatic() ||
      options.namespace ||
      Reflect.getMetadata(PORT_METADATA, gateway)
    ) {
      throw new Error(
        `${gateway.name}: the hot path serves singleton gateways on the app's own server and default namespace.`,
      );
    }
    const instance = wrapper.instance as Gateway & Record<string, unknown>;
    if (typeof instance.handleConnection === 'function') this.onConnection.push(instance);
    if (typeof instance.handleDisconnect === 'function') this.onDisconnection.push(instance);
    const prototype = Object.getPrototypeOf(instance) as Record<string, Method>;
    for (const name of this.scanner.getAllMethodNames(prototype)) {
      const method = prototype[name];
      if (Reflect.getMetadata(MESSAGE_MAPPING_METADATA, method) === undefined) continue;
      const event = Reflect.getMetadata(MESSAGE_METADATA, method) as string;
      const where = `${gateway.name}.${name}`;
      if (this.routes.has(event)) throw new Error(`${where}: '${event}' has a handler already.`);
      this.routes.set(event, this.routeFor(instance, gateway, name, method, where));
    }
  }

  private routeFor(instance: object, gateway: Type, name: string, method: Method, where: string): HotRoute {
    this.refuseSkippedSteps(gateway, method, where);
    const kind = this.reflector.get<RateLimitKind | undefined>(RATE_LIMIT_KIND, method);
    const recorded = Reflect.getMetadata(ROUTE_ARGS_METADATA, gateway, name) as
      Record<string, ParameterMetadata> | undefined;
    const types = (Reflect.getMetadata('design:paramtypes', gateway.prototype as object, name) ??
      []) as unknown[];
    const args = Object.entries(
      recorded ?? (DEFAULT_CALLBACK_METADATA as Record<string, ParameterMetadata>),
    ).map(([key, parameter]) =>
      this.argumentFor(key, parameter, types[parameter.index] as Type | undefined, where),
    );
    // Nest's own rule (GatewayMetadataExplorer): a handler with an `@Ack()` parameter answers by
    // itself, and what it returns is not sent.
    const acksItself = recorded !== undefined && Object.keys(recorded).some((key) => isOfType(key, ACK));
    const length = args.reduce((most, { index }) => Math.max(most, index + 1), 0);
    const { limiter, pipe, errors } = this;
    return async (socket, payload, ack) => {
      try {
        if (kind) await limiter.consume(kind, (socket as FlackSocket).data.user.id);
        const values = new Array<unknown>(length);
        for (const { index, read, validation } of args) {
          const value = read(socket as FlackSocket, payload, ack);
          // The lean check answers at once for most payloads: no promise to wait for then.
          values[index] = validation
            ? (pipe.transformLean(value, validation) ?? (await pipe.transform(value, validation)))
            : value;
        }
        // A handler that answers at once (a plain send, in memory) is not awaited: no promise, no turn.
        let response = method.apply(instance, values);
        if (isThenable(response)) response = await response;
        if (isObservable(response)) response = await lastValueFrom(response, { defaultValue: undefined });
        return acksItself ? undefined : response;
      } catch (error) {
        return errors.responseFor(error);
      }
    };
  }

  /**
   * One parameter, by the kind Nest recorded. Only a payload is validated: FlackValidationPipe
   * hands custom parameters, the socket and the ack on as they are (ValidationPipe validates no
   * custom decorator; the pipe's spec checks it), so the hot path spares the call.
   */
  private argumentFor(
    key: string,
    parameter: ParameterMetadata,
    metatype: Type | undefined,
    where: string,
  ): Argument {
    const { index, data } = parameter;
    if ((parameter.pipes?.length ?? 0) > 0 || parameter.schema !== undefined) {
      throw new Error(
        `${where} has a parameter with pipes or a schema of its own, which the hot path does not run.`,
      );
    }
    if (key.includes(CUSTOM_ROUTE_ARGS_METADATA)) {
      const read = SOCKET_PARAMETERS.get(parameter.factory as never);
      if (!read)
        throw new Error(
          `${where} has a parameter decorator the hot path does not know (session-user.decorator.ts).`,
        );
      return { index, read };
    }
    if (isOfType(key, SOCKET)) return { index, read: (socket) => socket };
    if (isOfType(key, ACK)) return { index, read: (_socket, _payload, ack) => ack };
    if (isOfType(key, PAYLOAD)) {
      const field = data as string | undefined;
      return {
        index,
        read: field
          ? (_socket, payload) => (payload as Record<string, unknown> | null | undefined)?.[field]
          : (_socket, payload) => payload,
        validation: this.validate ? { type: 'body', metatype, data: field } : undefined,
      };
    }
    throw new Error(`${where} has a parameter (${key}) the hot path does not know how to fill.`);
  }

  private refuseSkippedSteps(gateway: Type, method: Method, where: string): void {
    const onBoth = (key: string) => [
      ...((Reflect.getMetadata(key, gateway) as unknown[] | undefined) ?? []),
      ...((Reflect.getMetadata(key, method) as unknown[] | undefined) ?? []),
    ];
    const guards = onBoth(GUARDS_METADATA);
    const filters = onBoth(EXCEPTION_FILTERS_METADATA);
    const isAckFilter = (filter: unknown) =>
      filter === WsAckExceptionFilter || filter instanceof WsAckExceptionFilter;
    const problems = [
      guards.some((guard) => guard !== RateLimitGuard) && 'a guard other than RateLimitGuard',
      this.reflector.get(RATE_LIMIT_KIND, method) !== undefined &&
        !guards.includes(RateLimitGuard) &&
        'a @RateLimit() without RateLimitGuard, which would count nothing',
      onBoth(INTERCEPTORS_METADATA).length > 0 && 'an interceptor',
      onBoth(PIPES_METADATA).length > 0 && 'a pipe',
      (filters.length === 0 || !filters.every(isAckFilter)) &&
        'filters other than WsAckExceptionFilter (errors must be answered through the ack)',
    ].filter(Boolean);
    if (problems.length > 0) {
      throw new Error(
        `${where} has ${problems.join(', ')}, which the hot path (common/ws/hot-path.ts) does not run.`,
      );
    }
  }
}

/** Whether a ROUTE_ARGS_METADATA key (`<type>:<index>`) is of a Nest parameter type. */
function isOfType(key: string, type: number): boolean {
  return !key.includes(CUSTOM_ROUTE_ARGS_METADATA) && Number(key.split(':')[0]) === type;
}
