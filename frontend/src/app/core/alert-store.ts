import { Injectable, computed, signal, type Signal } from '@angular/core';
import type { AppError } from './app-error';

/** The part of the screen an error belongs to, so it shows next to what caused it. */
export type AlertPlace = 'login' | 'sidebar' | 'chat';

/**
 * The one error on screen. Showing a new one replaces the last, so there is never more than one
 * `role="alert"` to read.
 */
@Injectable({ providedIn: 'root' })
export class AlertStore {
  private readonly current = signal<{ place: AlertPlace; error: AppError } | null>(null);

  show(place: AlertPlace, error: AppError): void {
    this.current.set({ place, error });
  }

  /** Clears the alert if it belongs to `place`. */
  dismiss(place: AlertPlace): void {
    if (this.current()?.place === place) this.current.set(null);
  }

  at(place: AlertPlace): Signal<AppError | null> {
    return computed(() => {
      const alert = this.current();
      return alert?.place === place ? alert.error : null;
    });
  }
}
