import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { AlertStore } from '../core/alert-store';
import { SessionStore } from '../core/session-store';
import { Logo } from '../shared/logo';
import { UpdatePrompt } from '../shared/update-prompt';
import { LoginForm } from './login-form';

/** `/login`: the display-name prompt, also where a lost session ends up, with the reason. */
@Component({
  selector: 'app-login-page',
  imports: [LoginForm, Logo, UpdatePrompt],
  templateUrl: './login-page.html',
  styleUrl: './login-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly alerts = inject(AlertStore);

  protected readonly name = signal('');
  protected readonly busy = signal(false);
  protected readonly error = this.alerts.at('login');

  /** A refusal is about the name as it was; editing it makes the message stale. */
  protected editName(name: string): void {
    this.name.set(name);
    this.alerts.dismiss('login');
  }

  protected async signIn(name: string): Promise<void> {
    this.busy.set(true);
    const signedIn = await this.session.signIn(name);
    this.busy.set(false);
    if (signedIn) await this.router.navigateByUrl('/');
  }
}
