import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module.js';
import { repositoryProvider } from '../redis/repository.provider.js';
import { FilesRepository } from './files.repository.js';
import { FilesService } from './files.service.js';
import { ImageCleaner } from './images.js';
import { InMemoryFilesRepository } from './in-memory-files.repository.js';
import { RedisFilesRepository } from './redis-files.repository.js';

/**
 * Stored files and their rules, without the HTTP routes: messages import it to attach files on
 * send, and FilesModule (which needs sessions, above messages) serves them. Apart for the same
 * reason as MessageStoreModule: one module would be a cycle.
 */
@Module({
  imports: [ChannelsModule],
  providers: [
    FilesService,
    ImageCleaner,
    repositoryProvider(FilesRepository, InMemoryFilesRepository, RedisFilesRepository),
  ],
  exports: [FilesService],
})
export class FileStoreModule {}
