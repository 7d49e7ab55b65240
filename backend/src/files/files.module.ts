import { Module } from '@nestjs/common';
import { FileSessions } from './file-sessions.js';
import { FileStoreModule } from './file-store.module.js';
import { FilesController } from './files.controller.js';

/** `POST /api/files` (upload), `GET /api/files/:id` and its thumbnail, `POST|DELETE /api/files/access`. */
@Module({
  imports: [FileStoreModule],
  controllers: [FilesController],
  providers: [FileSessions],
})
export class FilesModule {}
