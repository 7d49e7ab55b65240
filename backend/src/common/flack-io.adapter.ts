import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { LIMITS, SOCKET_PATH } from '@flack/contract';
import type { ServerOptions } from 'socket.io';

/** Transport settings for every Flack socket, in one place. */
export class FlackIoAdapter extends IoAdapter {
  constructor(app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions) {
    const flackOptions: Partial<ServerOptions> = {
      ...options,
      path: SOCKET_PATH,
      // A frame above this closes only the socket that sent it.
      maxHttpBufferSize: LIMITS.maxFrameBytes,
      // Compression costs CPU per message and opens the door to compression side channels; chat
      // messages are small.
      perMessageDeflate: false,
      // Origins are checked in the handshake middleware; CORS headers are not needed for the
      // same-origin app.
      cors: undefined,
      serveClient: false,
    };
    return super.createIOServer(port, flackOptions as ServerOptions);
  }
}
