import { EnvironmentInjector, inject } from '@angular/core';
import type { Routes } from '@angular/router';
import { signedInOnly, signedOutOnly } from './core/session-guards';
import { inNextTask } from './core/yield';

// Pages are loaded on demand, so the first download holds only Angular, the socket and the session.
// A page's code is evaluated in one task and the page built in the next (inNextTask), not both at once.
export const routes: Routes = [
  {
    path: 'login',
    loadComponent: () => import('./login/login-page').then((m) => inNextTask(m.LoginPage)),
    canActivate: [signedOutOnly],
    title: 'Flack · Sign in',
  },
  {
    path: '',
    loadComponent: () => {
      const injector = inject(EnvironmentInjector);
      // marked's rules compile while the signed-in frame loads, in short tasks of their own, not
      // while the first messages are drawn (see warmUpLexer).
      void import('./chat/markdown/bounded-lexer').then((m) => m.warmUpLexer());
      // Evaluated, then its stores created, then built: three tasks.
      return import('./shell/shell-page')
        .then((m) => inNextTask(m))
        .then((m) => {
          for (const store of m.SIGNED_IN_STORES) injector.get(store);
          return inNextTask(m.ShellPage);
        });
    },
    canActivate: [signedInOnly],
    // Checked on every navigation, so no in-app link can lead back in after signing out.
    runGuardsAndResolvers: 'always',
    children: [
      {
        path: '',
        loadComponent: () => import('./channels/welcome-page').then((m) => inNextTask(m.WelcomePage)),
        title: 'Flack',
      },
      {
        path: 'c/:channel',
        // No route title: the page names the tab after the channel once it is open.
        loadComponent: () => import('./shell/chat-page').then((m) => inNextTask(m.ChatPage)),
      },
    ],
  },
  { path: '**', redirectTo: '' },
];
