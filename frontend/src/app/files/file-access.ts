import { Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FILES_ACCESS_PATH } from '@flack/contract';
import { FETCH } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { SavedSessions } from '../core/storage';

/**
 * An `<img>` cannot send the session token, so after every sync (sign-in, reconnect, a re-claimed
 * name) the app asks for the `flack_files` cookie with it (`POST /api/files/access`), and clears it
 * on signing out. Images wait for `granted`, so none loads (and 404s) before the cookie is there.
 */
@Injectable({ providedIn: 'root' })
export class FileAccess {
  private readonly session = inject(SessionStore);
  private readonly saved = inject(SavedSessions);
  private readonly fetch = inject(FETCH);
  private readonly allowed = signal(false);

  readonly granted = this.allowed.asReadonly();

  constructor() {
    this.session.synced.pipe(takeUntilDestroyed()).subscribe(() => void this.grant());
    this.session.signedOut.pipe(takeUntilDestroyed()).subscribe(() => {
      this.allowed.set(false);
      // Best effort (the cookie is worthless once the session is gone anyway).
      void Promise.resolve()
        .then(() => this.fetch(FILES_ACCESS_PATH, { method: 'DELETE' }))
        .catch(() => undefined);
    });
  }

  /** The token of whoever is signed in, for `Authorization: Bearer`. */
  token(): string | null {
    const name = this.session.displayName();
    return name === null ? null : this.saved.tokenFor(name);
  }

  private async grant(): Promise<void> {
    const token = this.token();
    if (token === null) return;
    try {
      const response = await this.fetch(FILES_ACCESS_PATH, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) this.allowed.set(true);
    } catch {
      // Offline: the next sync asks again.
    }
  }
}
