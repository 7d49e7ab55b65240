import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FILES_LIMITS_PATH, type FileLimits } from '@flack/contract';
import { FETCH } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { FileAccess } from './file-access';

/**
 * This server's file limits (`GET /api/files/limits`), asked after every sync: they are the
 * server's configuration, not the app's, so a file over them fails at once instead of after its
 * upload. Unknown (not asked yet, or offline) means the server's answer decides.
 */
@Injectable({ providedIn: 'root' })
export class FileLimitsStore {
  private readonly access = inject(FileAccess);
  private readonly fetch = inject(FETCH);
  private readonly value = signal<FileLimits | null>(null);

  readonly limits = this.value.asReadonly();

  constructor() {
    const session = inject(SessionStore);
    session.synced.pipe(takeUntilDestroyed()).subscribe(() => void this.load());
    session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => this.value.set(null));
  }

  private async load(): Promise<void> {
    const token = this.access.token();
    if (token === null) return;
    try {
      const response = await this.fetch(FILES_LIMITS_PATH, { headers: { authorization: `Bearer ${token}` } });
      if (response.ok) this.value.set((await response.json()) as FileLimits);
    } catch {
      // Offline: the next sync asks again, and the server still refuses what is over its limits.
    }
  }
}
