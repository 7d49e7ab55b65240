import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { UsersModule } from '../users/users.module.js';
import { PresenceGateway } from './presence.gateway.js';
import { presenceProviders } from './presence.providers.js';
import { PresenceService } from './presence.service.js';
import { TypingService } from './typing.service.js';

@Module({
  imports: [ChannelsModule, UsersModule],
  providers: [...presenceProviders, PresenceGateway],
  exports: [PresenceService, TypingService],
})
export class PresenceModule {}
