import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { mentionsName, type Message } from '@flack/contract';
import { ChannelsStore } from '../channels/channels-store';
import { ChatSocket } from '../core/chat-socket';
import { SessionStore } from '../core/session-store';

export type NotificationState = NotificationPermission | 'unsupported';

/**
 * Browser notifications for what is meant for this person: a mention, or a direct message. Only
 * when they would not see it anyway (the tab is hidden, or it is in another channel). Permission
 * is asked only from a click (`enable()`), never on load. Clicking one opens its channel.
 */
@Injectable({ providedIn: 'root' })
export class Notifier {
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly session = inject(SessionStore);
  private readonly channels = inject(ChannelsStore);
  private readonly api: typeof Notification | undefined = this.document.defaultView?.Notification;
  private readonly answered = signal<NotificationState | null>(null);

  /**
   * Read from the browser when first needed: `Notification.permission` asks the browser process
   * and waits for it, which the task that builds the signed-in page should not.
   */
  readonly permission = computed<NotificationState>(
    () => this.answered() ?? this.api?.permission ?? 'unsupported',
  );

  constructor() {
    inject(ChatSocket)
      .on('message:new')
      .pipe(takeUntilDestroyed())
      .subscribe((message) => this.consider(message));
  }

  /** From a click: asks the browser for permission. */
  async enable(): Promise<void> {
    if (!this.api) return;
    this.answered.set(await this.api.requestPermission());
  }

  private consider(message: Message): void {
    const user = this.session.user();
    if (!this.api || this.permission() !== 'granted' || !user || message.author.id === user.id) return;
    const channel = this.channels.channels().find((known) => known.id === message.channel);
    if (!channel) return;
    const forMe = channel.dm !== undefined || mentionsName(message.text, user.name);
    const seen = this.document.visibilityState === 'visible' && this.channels.activeId() === channel.id;
    if (!forMe || seen) return;
    const where = channel.dm ? 'direct message' : `#${channel.name}`;
    const notification = new this.api(`${message.author.name} (${where})`, {
      body: message.text,
      tag: message.id,
    });
    notification.onclick = () => {
      this.document.defaultView?.focus();
      void this.router.navigate(['/c', channel.id]);
      notification.close();
    };
  }
}
