import {
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withDisabledInitialNavigation } from '@angular/router';
import { routes } from './app.routes';
import { SessionStore } from './core/session-store';
import { inNextTask } from './core/yield';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // The first navigation starts in a task after the bootstrap (main.ts).
    provideRouter(routes, withComponentInputBinding(), withDisabledInitialNavigation()),
    // Back in where the person left off, before the first route decides between prompt and chat;
    // the app is then built in a task of its own (bootstrapping is a phone's longest task).
    provideAppInitializer(() => {
      inject(SessionStore).resume();
      return inNextTask(undefined);
    }),
  ],
};
