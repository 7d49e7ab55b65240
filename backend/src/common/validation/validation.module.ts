import { Global, Module } from '@nestjs/common';
import { FlackValidationPipe } from './validation.js';

/** The one validation pipe, global (app.factory.ts) and for the hot path alike. */
@Global()
@Module({ providers: [FlackValidationPipe], exports: [FlackValidationPipe] })
export class ValidationModule {}
