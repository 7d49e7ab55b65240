import { ChannelsService } from '../../src/channels/channels.service.js';
import { InMemoryChannelsRepository } from '../../src/channels/in-memory-channels.repository.js';
import type { EnvOverrides } from '../../src/app.module.js';
import { EventBus } from '../../src/events/event-bus.js';
import { FilesService } from '../../src/files/files.service.js';
import { ImageCleaner } from '../../src/files/images.js';
import { InMemoryFilesRepository } from '../../src/files/in-memory-files.repository.js';
import { InMemoryMessagesRepository } from '../../src/messages/in-memory-messages.repository.js';
import { InMemoryReadStateRepository } from '../../src/messages/in-memory-read-state.repository.js';
import { MessagesService } from '../../src/messages/messages.service.js';
import { InMemoryPresenceRepository } from '../../src/presence/in-memory-presence.repository.js';
import { InMemoryTypingRepository } from '../../src/presence/in-memory-typing.repository.js';
import { PresenceService } from '../../src/presence/presence.service.js';
import { TypingService } from '../../src/presence/typing.service.js';
import { ConnectionsService } from '../../src/sessions/connections.service.js';
import { InMemoryUsersRepository } from '../../src/sessions/in-memory-users.repository.js';
import { SessionsService } from '../../src/sessions/sessions.service.js';
import { UsersService } from '../../src/sessions/users.service.js';
import { testConfig } from './test-config.js';

/**
 * Every service of the app wired by hand over the in-memory repositories and one EventBus, as the
 * Nest modules wire them: for unit tests that call services directly, events included.
 */
export function inMemoryServices(overrides: EnvOverrides = {}) {
  // No default channels unless a test asks for them, as on the e2e test servers.
  const config = testConfig({ DEFAULT_CHANNELS: '', ...overrides });
  const events = new EventBus();
  const channelRecords = new InMemoryChannelsRepository();
  const repositories = {
    users: new InMemoryUsersRepository(),
    channels: channelRecords,
    // An append checks its author's membership there.
    messages: new InMemoryMessagesRepository(() => channelRecords),
    readStates: new InMemoryReadStateRepository(),
    presence: new InMemoryPresenceRepository(),
    typing: new InMemoryTypingRepository(),
    files: new InMemoryFilesRepository(),
  };
  const users = new UsersService(repositories.users);
  const channels = new ChannelsService(repositories.channels, events, users, repositories.messages, config);
  const images = new ImageCleaner();
  const files = new FilesService(repositories.files, channels, images, events, config, null);
  const messages = new MessagesService(
    repositories.messages,
    channels,
    repositories.readStates,
    events,
    files,
  );
  const presence = new PresenceService(repositories.presence, events, config);
  const typing = new TypingService(repositories.typing, events, config);
  const sessions = new SessionsService(repositories.users, events, config);
  const connections = new ConnectionsService(events);
  const stop = () => {
    presence.onModuleDestroy();
    typing.onModuleDestroy();
    connections.onModuleDestroy();
    sessions.onModuleDestroy();
    images.onModuleDestroy();
  };
  return {
    config,
    events,
    repositories,
    users,
    channels,
    files,
    messages,
    presence,
    typing,
    sessions,
    connections,
    stop,
  };
}
