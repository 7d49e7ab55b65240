import type { Routes } from '@angular/router';
import { signedInOnly, signedOutOnly } from './core/session-guards';

// Pages are loaded on demand, so the first download holds only Angular, the socket and the session.
export const routes: Routes = [
  {
    path: 'login',
    loadComponent: () => import('./login/login-page').then((m) => m.LoginPage),
    canActivate: [signedOutOnly],
    title: 'Flack · Sign in',
  },
  {
    path: '',
    loadComponent: () => import('./shell/shell-page').then((m) => m.ShellPage),
    canActivate: [signedInOnly],
    // Checked on every navigation, so no in-app link can lead back in after signing out.
    runGuardsAndResolvers: 'always',
    children: [
      {
        path: '',
        loadComponent: () => import('./channels/welcome-page').then((m) => m.WelcomePage),
        title: 'Flack',
      },
      {
        path: 'c/:channel',
        // No route title: the page names the tab after the channel once it is open.
        loadComponent: () => import('./shell/chat-page').then((m) => m.ChatPage),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
