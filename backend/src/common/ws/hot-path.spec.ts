import { describe, expect, it, jest } from '@jest/globals';
import {
  Injectable,
  Logger,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  createParamDecorator,
  type CallHandler,
  type CanActivate,
  type NestInterceptor,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { ApplicationConfig, MetadataScanner, Reflector, type DiscoveryService } from '@nestjs/core';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import { IsString } from 'class-validator';
import type { Socket } from 'socket.io';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { FlackValidationPipe } from '../validation/validation.js';
import { HotPaths } from './hot-path.js';
import { SessionSocket, SessionUser } from './session-user.decorator.js';
import { WsAckExceptionFilter } from './ws-ack-exception.filter.js';

class NoteDto {
  @IsString()
  text!: string;
}

/** Every parameter kind a Flack handler may take, and the hooks HotPaths calls for Nest. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
class EveryKindGateway implements OnGatewayConnection, OnGatewayDisconnect {
  readonly heard: unknown[][] = [];

  @SubscribeMessage('note:add')
  @RateLimit('message')
  add(@SessionUser() user: unknown, @MessageBody() note: NoteDto) {
    this.heard.push(['add', user, note]);
    return { ok: true, data: note.text };
  }

  @SubscribeMessage('note:field')
  field(
    @MessageBody('text') text: unknown,
    @ConnectedSocket() socket: unknown,
    @SessionSocket() same: unknown,
  ) {
    this.heard.push(['field', text, socket === same]);
    return { ok: true, data: text };
  }

  @SubscribeMessage('note:plain')
  plain(...args: unknown[]) {
    this.heard.push(['plain', ...args]);
    return { ok: true, data: null };
  }

  @SubscribeMessage('note:by-hand')
  byHand(@SessionUser() _user: unknown, @Ack() ack: (response: unknown) => void) {
    ack({ ok: true, data: 'by hand' });
    return 'not sent';
  }

  handleConnection(socket: Socket) {
    this.heard.push(['connected', socket]);
  }

  handleDisconnect(socket: Socket, reason: unknown) {
    this.heard.push(['disconnected', socket, reason]);
  }
}

@Injectable()
class OtherGuard implements CanActivate {
  canActivate() {
    return true;
  }
}
class Passthrough implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler) {
    return next.handle();
  }
}
class Identity implements PipeTransform {
  transform(value: unknown) {
    return value;
  }
}
const Unknown = createParamDecorator(() => 'something');

/** HotPaths over the given gateways, as Nest builds it, with a limiter that counts. */
function hotPathsFor(gateways: Type[], { globalPipe = true, singleton = true } = {}) {
  const pipe = new FlackValidationPipe();
  const config = new ApplicationConfig();
  if (globalPipe) config.useGlobalPipes(pipe);
  const limiter = { consume: jest.fn(async (_kind: string, _key: string) => undefined) };
  const instances = gateways.map((gateway) => new gateway());
  const discovery = {
    getProviders: () =>
      gateways.map((metatype, index) => ({
        metatype,
        instance: instances[index],
        isDependencyTreeStatic: () => singleton,
      })),
  } as unknown as DiscoveryService;
  const hotPaths = new HotPaths(
    discovery,
    new MetadataScanner(),
    new Reflector(),
    config,
    limiter as unknown as RateLimiter,
    pipe,
  );
  return { hotPaths, limiter, instances };
}

const socket = { data: { user: { id: 'u1', name: 'alice' } } } as unknown as Socket;

describe('HotPaths', () => {
  it('hands each handler the arguments Nest would, validating only the payload', async () => {
    const { hotPaths, limiter, instances } = hotPathsFor([EveryKindGateway]);
    hotPaths.onApplicationBootstrap();
    const [gateway] = instances as EveryKindGateway[];
    const ack = jest.fn();

    await expect(hotPaths.route('note:add')!(socket, { text: 'hi' }, ack)).resolves.toEqual({
      ok: true,
      data: 'hi',
    });
    expect(limiter.consume).toHaveBeenCalledWith('message', 'u1');
    expect(gateway.heard.at(-1)).toEqual(['add', { id: 'u1', name: 'alice' }, { text: 'hi' }]);
    expect(gateway.heard.at(-1)?.[2]).toBeInstanceOf(NoteDto);

    await expect(hotPaths.route('note:add')!(socket, { text: 5 }, ack)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    await hotPaths.route('note:field')!(socket, { text: 'just this' }, ack);
    expect(gateway.heard.at(-1)).toEqual(['field', 'just this', true]);
    // No parameter declared: Nest's default (socket, payload, ack), the payload through the pipe.
    await hotPaths.route('note:plain')!(socket, 'payload', ack);
    expect(gateway.heard.at(-1)).toEqual(['plain', socket, 'payload', ack]);
    await expect(
      hotPaths.route('note:plain')!(socket, JSON.parse('{"__proto__":{"a":1}}'), ack),
    ).resolves.toMatchObject({ ok: false, error: { code: 'INVALID' } });
    // An @Ack() handler answers by itself; what it returns is not sent.
    await expect(hotPaths.route('note:by-hand')!(socket, undefined, ack)).resolves.toBeUndefined();
    expect(ack).toHaveBeenCalledWith({ ok: true, data: 'by hand' });
    expect(limiter.consume).toHaveBeenCalledTimes(2);
  });

  it('validates nothing when the app registered no global pipe, as Nest would not', async () => {
    const { hotPaths } = hotPathsFor([EveryKindGateway], { globalPipe: false });
    hotPaths.onApplicationBootstrap();
    await expect(hotPaths.route('note:add')!(socket, { text: 5 }, undefined)).resolves.toEqual({
      ok: true,
      data: 5,
    });
  });

  it('calls every gateway’s connection and disconnection hooks', () => {
    const { hotPaths, instances } = hotPathsFor([EveryKindGateway]);
    hotPaths.onApplicationBootstrap();
    hotPaths.connected(socket);
    hotPaths.disconnected(socket, 'transport close');
    expect((instances[0] as EveryKindGateway).heard).toEqual([
      ['connected', socket],
      ['disconnected', socket, 'transport close'],
    ]);
  });

  it('logs a hook that fails, thrown or rejected, and still calls the other gateways’', async () => {
    @WebSocketGateway()
    @UseFilters(WsAckExceptionFilter)
    class Failing {
      handleConnection() {
        throw new Error('thrown');
      }
      async handleDisconnect() {
        throw new Error('rejected');
      }
    }
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { hotPaths, instances } = hotPathsFor([Failing, EveryKindGateway]);
    hotPaths.onApplicationBootstrap();
    hotPaths.connected(socket);
    hotPaths.disconnected(socket, 'ping timeout');
    await new Promise((resolve) => setImmediate(resolve));
    expect((instances[1] as EveryKindGateway).heard.map(([what]) => what)).toEqual([
      'connected',
      'disconnected',
    ]);
    expect(logged.mock.calls.map(([error]) => (error as Error).message)).toEqual(['thrown', 'rejected']);
    logged.mockRestore();
  });

  it('hands custom parameters through FlackValidationPipe unchanged, which is why it skips them', async () => {
    const pipe = new FlackValidationPipe();
    for (const value of [{ id: 'u1', name: 'alice' }, socket, () => undefined]) {
      await expect(pipe.transform(value, { type: 'custom', metatype: Object })).resolves.toBe(value);
    }
  });

  const refusals: [string, () => Type, RegExp][] = [
    [
      'a guard other than RateLimitGuard',
      () => {
        @WebSocketGateway()
        @UseFilters(WsAckExceptionFilter)
        class Guarded {
          @SubscribeMessage('x')
          @UseGuards(OtherGuard)
          handle() {}
        }
        return Guarded;
      },
      /Guarded\.handle has a guard other than RateLimitGuard/,
    ],
    [
      'an interceptor',
      () => {
        @WebSocketGateway()
        @UseFilters(WsAckExceptionFilter)
        @UseInterceptors(Passthrough)
        class Intercepted {
          @SubscribeMessage('x')
          handle() {}
        }
        return Intercepted;
      },
      /an interceptor/,
    ],
    [
      'a pipe of its own',
      () => {
        @WebSocketGateway()
        @UseFilters(WsAckExceptionFilter)
        class Piped {
          @SubscribeMessage('x')
          @UsePipes(Identity)
          handle() {}
        }
        return Piped;
      },
      /a pipe/,
    ],
    [
      'a pipe on a parameter',
      () => {
        @WebSocketGateway()
        @UseFilters(WsAckExceptionFilter)
        class ParameterPiped {
          @SubscribeMessage('x')
          handle(@MessageBody(Identity) _body: unknown) {}
        }
        return ParameterPiped;
      },
      /pipes or a schema of its own/,
    ],
    [
      'no filter',
      () => {
        @WebSocketGateway()
        class Unfiltered {
          @SubscribeMessage('x')
          handle() {}
        }
        return Unfiltered;
      },
      /filters other than WsAckExceptionFilter/,
    ],
    [
      'an unknown parameter decorator',
      () => {
        @WebSocketGateway()
        @UseFilters(WsAckExceptionFilter)
        class Decorated {
          @SubscribeMessage('x')
          handle(@Unknown() _value: unknown) {}
        }
        return Decorated;
      },
      /a parameter decorator the hot path does not know/,
    ],
    [
      'a @RateLimit() without its guard',
      () => {
        @WebSocketGateway()
        @UseFilters(WsAckExceptionFilter)
        class Unlimited {
          @SubscribeMessage('x')
          @RateLimit('message')
          handle() {}
        }
        return Unlimited;
      },
      /a @RateLimit\(\) without RateLimitGuard/,
    ],
    [
      'a namespace',
      () => {
        @WebSocketGateway({ namespace: 'admin' })
        @UseFilters(WsAckExceptionFilter)
        class Namespaced {
          @SubscribeMessage('x')
          handle() {}
        }
        return Namespaced;
      },
      /Namespaced: the hot path serves/,
    ],
  ];

  it.each(refusals)('refuses to start with a handler that has %s', (_what, gateway, message) => {
    const { hotPaths } = hotPathsFor([gateway()]);
    expect(() => hotPaths.onApplicationBootstrap()).toThrow(message);
  });

  it('refuses to start with two handlers for one event, or a request-scoped gateway', () => {
    expect(() => hotPathsFor([EveryKindGateway, EveryKindGateway]).hotPaths.onApplicationBootstrap()).toThrow(
      /'note:add' has a handler already/,
    );
    expect(() =>
      hotPathsFor([EveryKindGateway], { singleton: false }).hotPaths.onApplicationBootstrap(),
    ).toThrow(/EveryKindGateway: the hot path serves singleton gateways/);
  });
});
