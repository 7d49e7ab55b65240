import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

// In a task after the one that evaluated the code: two shorter tasks instead of one long one.
setTimeout(() => bootstrapApplication(App, appConfig).catch((error: unknown) => console.error(error)));
