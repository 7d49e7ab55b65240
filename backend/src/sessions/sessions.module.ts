import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { MessagesModule } from '../messages/messages.module.js';
import { PresenceModule } from '../presence/presence.module.js';
import { ConnectionsService } from './connections.service.js';
import { SessionGateway } from './session.gateway.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { UsersModule } from './users.module.js';

/**
 * Claims, tokens, the handshake, connections and `session:*`. It sits above the other features:
 * the session snapshot is their state, gathered for one person.
 */
@Module({
  imports: [UsersModule, ChannelsModule, MessagesModule, PresenceModule],
  controllers: [SessionsController],
  providers: [SessionsService, ConnectionsService, SessionGateway],
})
export class SessionsModule {}
