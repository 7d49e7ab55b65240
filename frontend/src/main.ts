import { bootstrapApplication } from '@angular/platform-browser';
import { Router } from '@angular/router';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// Each step in a task of its own, so none blocks input for long on a phone (Lighthouse's total
// blocking time): the code is evaluated, then the app is bootstrapped (its initializer yields
// once more, see app.config.ts), then the first route is matched and loaded.
setTimeout(() =>
  bootstrapApplication(App, appConfig)
    .then((app) => setTimeout(() => app.injector.get(Router).initialNavigation()))
    .catch((error: unknown) => console.error(error)),
);
