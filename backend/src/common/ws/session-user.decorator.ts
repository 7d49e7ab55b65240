import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { User } from '@flack/contract';
import type { FlackSocket } from './socket-types.js';

/** The user the socket authenticated as in its handshake: the only source of identity. */
export const SessionUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User =>
    context.switchToWs().getClient<FlackSocket>().data.user,
);
