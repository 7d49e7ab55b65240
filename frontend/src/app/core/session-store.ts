import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { User } from '@flack/contract';
import { Subject, defer, startWith, type Observable } from 'rxjs';
import { AlertStore } from './alert-store';
import { toAppError, type AppError } from './app-error';
import { ChatSocket, type ConnectError, type DisconnectReason } from './chat-socket';
import { SessionApi } from './session-api';
import type { ConnectionState, SessionSync } from './session-types';
import { SavedSessions } from './storage';

export type { ConnectionState, SessionSync } from './session-types';

const RECLAIM_LIMIT = 5;
const RETRY_DELAY_MS = 3000;

const SESSION_ENDED: AppError = {
  code: 'UNAUTHENTICATED',
  message: 'Your session has ended. Pick a display name to continue.',
};

/**
 * Who is signed in and whether the socket is usable. Claims names over REST, connects with the
 * token, re-claims the name when the server no longer knows the token, and tells the other stores
 * when a (re)connect brought a fresh snapshot.
 */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly socket = inject(ChatSocket);
  private readonly api = inject(SessionApi);
  private readonly saved = inject(SavedSessions);
  private readonly alerts = inject(AlertStore);

  private readonly signedInName = signal<string | null>(null);
  private readonly currentUser = signal<User | null>(null);
  private readonly state = signal<ConnectionState>('signed-out');
  private readonly wasOnline = signal(false);
  private readonly serverRestarting = signal(false);
  private readonly announcement = signal<string | null>(null);
  /** Set when the name was claimed again; the next sync reports the restart. */
  private reclaimed = false;
  private readonly syncs = new Subject<SessionSync>();
  private lastSync: SessionSync | null = null;
  private readonly signOuts = new Subject<void>();

  /** Bumped on every sign-in and sign-out, so answers that arrive late for an old session are dropped. */
  private generation = 0;
  private reclaimAttempts = 0;
  private forgetting = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  readonly user = this.currentUser.asReadonly();
  readonly connection = this.state.asReadonly();
  readonly signedIn = computed(() => this.signedInName() !== null);
  /** The server's spelling once known, the typed one until then. */
  readonly displayName = computed(() => this.currentUser()?.name ?? this.signedInName());
  readonly ready = computed(() => this.state() === 'online');
  /** What the `role="status"` region says; null while all is well. */
  readonly connectionProblem = computed(() => {
    if (this.state() !== 'reconnecting') return null;
    if (this.serverRestarting()) return 'Flack is restarting. Reconnecting…';
    return this.wasOnline() ? 'Connection lost. Reconnecting…' : 'Cannot reach Flack. Retrying…';
  });

  /**
   * Every sync of this session. A subscriber that arrives late (stores live in lazily loaded
   * pages) first gets the latest one, as its own first sync.
   */
  readonly synced: Observable<SessionSync> = defer(() =>
    this.lastSync
      ? this.syncs.pipe(startWith({ ...this.lastSync, reconnect: false, restarted: false }))
      : this.syncs,
  );
  readonly signedOut: Observable<void> = this.signOuts.asObservable();
  /** Something the person should know about the session, said once (e.g. after a server restart). */
  readonly notice = this.announcement.asReadonly();

  constructor() {
    this.socket.connects.pipe(takeUntilDestroyed()).subscribe(() => void this.sync(this.generation));
    this.socket.disconnects.pipe(takeUntilDestroyed()).subscribe((reason) => this.onDisconnect(reason));
    this.socket.connectErrors.pipe(takeUntilDestroyed()).subscribe((error) => this.onConnectError(error));
    this.socket
      .on('session:ended')
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.endSession(this.forgetting ? null : SESSION_ENDED));
    this.socket
      .on('server:shutdown')
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.serverRestarting.set(true));
    inject(DestroyRef).onDestroy(() => clearTimeout(this.retryTimer));
  }

  /** Goes straight in when this browser was signed in last time. */
  resume(): void {
    const name = this.saved.currentName();
    const token = name === null ? null : this.saved.tokenFor(name);
    if (name !== null && token !== null) this.start(name, token);
    else this.saved.setCurrentName(null);
  }

  /**
   * Signs in with a name: reuses this browser's token for it (same identity and channels as
   * before), or claims the name. Resolves false, with the error shown, when the server refuses.
   */
  async signIn(rawName: string): Promise<boolean> {
    const name = rawName.trim();
    this.alerts.dismiss('login');
    let token = this.saved.tokenFor(name);
    if (token === null) {
      try {
        const claim = await this.api.claimName(name);
        token = claim.token;
        this.saved.saveToken(name, token);
        this.currentUser.set(claim.user);
      } catch (error) {
        this.alerts.show('login', toAppError(error));
        return false;
      }
    }
    this.start(name, token);
    return true;
  }

  dismissNotice(): void {
    this.announcement.set(null);
  }

  /** Back to the name prompt. The token stays saved, so signing in with this name restores it. */
  logOut(): void {
    this.signOut();
  }

  /** Ends the session on the server for good, releasing the name. */
  async forget(): Promise<boolean> {
    this.forgetting = true;
    try {
      await this.socket.request('session:forget');
      this.endSession(null);
      return true;
    } catch (error) {
      this.alerts.show('sidebar', toAppError(error));
      return false;
    } finally {
      this.forgetting = false;
    }
  }

  private start(name: string, token: string): void {
    this.clearRetry();
    this.generation++;
    this.reclaimAttempts = 0;
    this.signedInName.set(name);
    this.saved.setCurrentName(name);
    this.wasOnline.set(false);
    this.state.set('connecting');
    this.socket.connect(token);
  }

  private async sync(generation: number): Promise<void> {
    try {
      const snapshot = await this.socket.request('session:get');
      if (generation !== this.generation) return;
      this.reclaimAttempts = 0;
      this.currentUser.set(snapshot.user);
      // Keep the server's spelling, so a re-claim after a server restart asks for exactly that name.
      this.signedInName.set(snapshot.user.name);
      this.saved.setCurrentName(snapshot.user.name);
      const restarted = this.reclaimed;
      this.reclaimed = false;
      if (restarted) {
        const name = snapshot.user.name;
        this.announcement.set(
          this.serverRestarting()
            ? `Flack restarted and lost its memory. You are signed in again as ${name}; messages from ` +
                'before the restart are gone, and you are back in the channels that still exist.'
            : `Flack no longer knew your session (the server restarted or it expired), so you are ` +
                `signed in again as ${name}, back in the channels that still exist.`,
        );
      }
      this.lastSync = { snapshot, reconnect: this.wasOnline(), restarted };
      this.wasOnline.set(true);
      this.serverRestarting.set(false);
      // Online before the stores hear of it, so what they start (catch-up, outbox) may use the socket.
      this.state.set('online');
      this.syncs.next(this.lastSync);
    } catch {
      // Connected but no answer: ask again rather than sit on a half-open session.
      if (generation === this.generation && this.socket.connected) {
        this.retryLater(() => void this.sync(generation));
      }
    }
  }

  private onDisconnect(reason: DisconnectReason): void {
    if (!this.signedIn() || reason === 'io client disconnect') return;
    this.state.set('reconnecting');
    // The server closed this socket without ending the session; Socket.IO will not retry by itself.
    if (reason === 'io server disconnect') this.retryLater(() => this.socket.connect());
  }

  private onConnectError(error: ConnectError): void {
    if (!this.signedIn()) return;
    this.state.set('reconnecting');
    // Socket.IO is still trying: the server is unreachable, not refusing us.
    if (this.socket.active) return;
    const code = error.data?.code;
    if (code === 'SESSION_UNKNOWN' || code === 'TOKEN_MISSING') {
      void this.reclaim();
    } else {
      // Not about our token (e.g. ORIGIN_FORBIDDEN): keep it, say why, and go back to the prompt.
      this.signOut();
      this.alerts.show('login', {
        code: 'FORBIDDEN',
        message: `The server refused the connection: ${error.message}`,
      });
    }
  }

  /** The server forgot our token (e.g. it restarted): claim the name again and reconnect with the new one. */
  private async reclaim(): Promise<void> {
    const name = this.signedInName();
    if (name === null) return;
    this.saved.saveToken(name, null);
    if (++this.reclaimAttempts > RECLAIM_LIMIT) {
      this.endSession({ code: 'UNAUTHENTICATED', message: 'The server did not accept your session.' });
      return;
    }
    const generation = this.generation;
    try {
      const claim = await this.api.claimName(name);
      if (generation !== this.generation) return;
      this.saved.saveToken(name, claim.token);
      this.reclaimed = true;
      this.socket.connect(claim.token);
    } catch (caught) {
      if (generation !== this.generation) return;
      const error = toAppError(caught);
      const transient = ['NETWORK', 'RATE_LIMITED', 'INTERNAL', 'UNAVAILABLE'];
      if (transient.includes(error.code)) {
        this.retryLater(() => void this.reclaim(), error.retryAfterMs);
      } else {
        // NAME_TAKEN: someone else claimed the name while we were away.
        this.endSession(
          error.code === 'NAME_TAKEN'
            ? {
                ...error,
                message: `Flack restarted, and someone else has taken the name ${name} since. Pick another name.`,
              }
            : error,
        );
      }
    }
  }

  /** The session is over on the server: its token is useless, so drop it too. */
  private endSession(error: AppError | null): void {
    const name = this.signedInName();
    if (name !== null) this.saved.saveToken(name, null);
    this.signOut();
    if (error) this.alerts.show('login', error);
  }

  private signOut(): void {
    this.clearRetry();
    this.generation++;
    this.lastSync = null;
    this.socket.disconnect();
    this.signedInName.set(null);
    this.currentUser.set(null);
    this.wasOnline.set(false);
    this.serverRestarting.set(false);
    this.reclaimed = false;
    this.announcement.set(null);
    this.state.set('signed-out');
    this.saved.setCurrentName(null);
    this.signOuts.next();
  }

  private retryLater(action: () => void, delayMs = RETRY_DELAY_MS): void {
    this.clearRetry();
    this.retryTimer = setTimeout(action, delayMs);
  }

  private clearRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
