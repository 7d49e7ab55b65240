import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv({ errorOnUnknownElements: true, errorOnUnknownProperties: true });

// What one test saved (a session token, an outbox) must not leak into the next one.
beforeEach(() => localStorage.clear());
