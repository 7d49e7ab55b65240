import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { SessionStore } from './session-store';

/** The chat needs a name: without one, go to the prompt. */
export const signedInOnly: CanActivateFn = () =>
  inject(SessionStore).signedIn() || inject(Router).createUrlTree(['/login']);

/** The prompt is pointless once signed in. */
export const signedOutOnly: CanActivateFn = () =>
  !inject(SessionStore).signedIn() || inject(Router).createUrlTree(['/']);
