import {
  ApplicationRef,
  Injectable,
  InjectionToken,
  computed,
  inject,
  isDevMode,
  signal,
} from '@angular/core';

/** The worker Angular builds from ngsw-config.json (angular.json `serviceWorker`). */
const SCRIPT = 'ngsw-worker.js';
/** Registered no later than this after start, even if the app never settles. */
const REGISTER_WITHIN_MS = 30_000;
/** A tab left open for days still learns of a deploy: it asks this often, and when shown again. */
const CHECK_EVERY_MS = 30 * 60_000;

/** The browser's service workers; null in development builds, unit tests and browsers without. */
export const SERVICE_WORKERS = new InjectionToken<ServiceWorkerContainer | null>('SERVICE_WORKERS', {
  providedIn: 'root',
  factory: () =>
    !isDevMode() && typeof navigator !== 'undefined' && 'serviceWorker' in navigator
      ? navigator.serviceWorker
      : null,
});

/** What a page can do that a unit test cannot. */
export const PAGE_RELOAD = new InjectionToken<() => void>('PAGE_RELOAD', {
  providedIn: 'root',
  factory: () => () => location.reload(),
});

/**
 * The installable, offline-opening app: registers Angular's service worker (ngsw-config.json) once
 * the app is stable, and says when a new version is ready, so a deploy never leaves a person on
 * the old app without telling them (shared/update-prompt.ts). A cache the worker cannot serve
 * from any more reloads the page at once.
 *
 * It speaks the messages `@angular/service-worker`'s `SwUpdate` uses with ngsw-worker.js: the
 * worker posts `VERSION_READY` once a new build is downloaded and `UNRECOVERABLE_STATE` when the
 * cached build cannot be served; the page posts `INITIALIZE` to a worker that takes control of it
 * and `CHECK_FOR_UPDATES` to look for a new build. Not `provideServiceWorker` + `SwUpdate`: they
 * put about 5 kB of Angular's module and rxjs code into the initial bundle, even when loaded
 * lazily; this file is loaded with the pages (shared/update-prompt.ts starts it).
 */
@Injectable({ providedIn: 'root' })
export class AppUpdates {
  private readonly workers = inject(SERVICE_WORKERS);
  private readonly appRef = inject(ApplicationRef);
  private readonly reloadPage = inject(PAGE_RELOAD);
  private readonly newVersion = signal(false);
  private readonly declined = signal(false);
  private started = false;

  /** A new version is ready and the person has not put it off. */
  readonly ready = computed(() => this.newVersion() && !this.declined());

  /** Called by the first page drawn (later calls do nothing), and nothing where there is no worker. */
  start(): void {
    const workers = this.workers;
    if (this.started || workers === null) return;
    this.started = true;
    workers.addEventListener('message', (event: MessageEvent<{ type?: string } | null>) => {
      if (event.data?.type === 'VERSION_READY') {
        this.newVersion.set(true);
        this.declined.set(false);
      } else if (event.data?.type === 'UNRECOVERABLE_STATE') {
        this.reloadPage();
      }
    });
    workers.addEventListener('controllerchange', () =>
      workers.controller?.postMessage({ action: 'INITIALIZE' }),
    );
    // Once the first page and its lazy parts are in (whenStable counts the router's navigation),
    // so the worker's downloads never compete with them.
    void Promise.race([
      this.appRef.whenStable(),
      new Promise((resolve) => setTimeout(resolve, REGISTER_WITHIN_MS)),
    ]).then(() =>
      // No worker (refused, private mode): the app works as a plain page.
      workers.register(SCRIPT).catch(() => undefined),
    );

    // The worker itself checks after each page load; a chat tab is seldom loaded again. Opened
    // from the worker's cache, a deploy since the last visit is found at once, not in 5 s.
    const check = () =>
      workers.controller?.postMessage({
        action: 'CHECK_FOR_UPDATES',
        nonce: Math.round(Math.random() * 10_000_000),
      });
    check();
    setInterval(check, CHECK_EVERY_MS);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') check();
    });
  }

  /** Reload: onto the new version (the worker gives a page loaded anew the newest it has). */
  reload(): void {
    this.reloadPage();
  }

  /** Later: the prompt goes until the next new version. */
  later(): void {
    this.declined.set(true);
  }
}
