import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '@flack/contract';
import type { FlackSocket } from './socket-types.js';

/** The user the socket authenticated as in its handshake: the only source of identity. */
export const SessionUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User =>
    context.switchToWs().getClient<FlackSocket>().data.user,
);

/**
 * The socket the event came on. (Nest's `@ConnectedSocket()` would hand the socket to the global
 * validation pipe as if it were a payload; a custom parameter is not validated.)
 */
export const SessionSocket = createParamDecorator((_data: unknown, context: ExecutionContext): FlackSocket =>
  context.switchToWs().getClient<FlackSocket>(),
);
