import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { repositoryProvider } from '../redis/repository.provider.js';
import { InMemoryPresenceRepository } from './in-memory-presence.repository.js';
import { InMemoryTypingRepository } from './in-memory-typing.repository.js';
import { PresenceGateway } from './presence.gateway.js';
import { PresenceRepository } from './presence.repository.js';
import { PresenceService } from './presence.service.js';
import { RedisPresenceRepository } from './redis-presence.repository.js';
import { RedisTypingRepository } from './redis-typing.repository.js';
import { TypingRepository } from './typing.repository.js';
import { TypingService } from './typing.service.js';

/** Who is online and who is typing where. */
@Module({
  imports: [ChannelsModule],
  providers: [
    PresenceService,
    TypingService,
    PresenceGateway,
    repositoryProvider(PresenceRepository, InMemoryPresenceRepository, RedisPresenceRepository),
    repositoryProvider(TypingRepository, InMemoryTypingRepository, RedisTypingRepository),
  ],
  exports: [PresenceService],
})
export class PresenceModule {}
