import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '@flack/contract';
import type { FlackSocket } from './socket-types.js';

type ParameterFactory = (data: unknown, context: ExecutionContext) => unknown;

/**
 * What each parameter decorator below reads from the socket, by the factory Nest records for it
 * (ROUTE_ARGS_METADATA): HotPaths hands a handler the same value without building an
 * ExecutionContext, and refuses at start-up a custom decorator it does not find here.
 */
export const SOCKET_PARAMETERS = new Map<ParameterFactory, (socket: FlackSocket) => unknown>();

function socketParameter<T>(read: (socket: FlackSocket) => T) {
  const factory = (_data: unknown, context: ExecutionContext): T =>
    read(context.switchToWs().getClient<FlackSocket>());
  SOCKET_PARAMETERS.set(factory, read);
  return createParamDecorator(factory);
}

/** The user the socket authenticated as in its handshake: the only source of identity. */
export const SessionUser = socketParameter((socket): User => socket.data.user);

/**
 * The socket the event came on. (Nest's `@ConnectedSocket()` would hand the socket to the global
 * validation pipe as if it were a payload; a custom parameter is not validated.)
 */
export const SessionSocket = socketParameter((socket): FlackSocket => socket);
