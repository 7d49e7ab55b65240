import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { Title } from '@angular/platform-browser';
import { Router, RouterLink } from '@angular/router';
import { ChannelsStore } from '../channels/channels-store';
import { AlertStore } from '../core/alert-store';
import { SessionStore } from '../core/session-store';
import { ErrorAlert } from '../shared/error-alert';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { MessagesStore } from './messages-store';

/** `/c/:channel`: joins and opens the channel, shows its history and live messages, sends. */
@Component({
  selector: 'app-chat-page',
  imports: [MessageList, Composer, ErrorAlert, RouterLink],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChatPage {
  /** The `:channel` route parameter: a channel id (or name). */
  readonly channel = input.required<string>();

  private readonly router = inject(Router);
  private readonly title = inject(Title);
  private readonly session = inject(SessionStore);
  private readonly channels = inject(ChannelsStore);
  private readonly messagesStore = inject(MessagesStore);

  private readonly composer = viewChild(Composer);
  /** The route parameter last asked for, so a reconnect does not open it a second time. */
  private requested: string | null = null;
  private readonly openedId = signal<string | null>(null);

  protected readonly opening = signal(true);
  protected readonly leaving = signal(false);
  protected readonly draft = signal('');
  /** The channel on screen: only once this page opened it, so a switch shows "Opening" not the last one. */
  protected readonly current = computed(() => {
    const channel = this.channels.active();
    return channel !== null && channel.id === this.openedId() ? channel : null;
  });
  protected readonly messages = this.messagesStore.messagesIn(this.channels.activeId);
  protected readonly ownUserId = computed(() => this.session.user()?.id ?? null);
  protected readonly online = this.session.ready;
  protected readonly error = inject(AlertStore).at('chat');

  constructor() {
    // Open the channel in the URL once the session is ready (and again only if that failed).
    effect(() => {
      const ref = this.channel();
      if (this.session.ready() && this.requested !== ref) void this.open(ref);
    });
    // Left here or in another tab, or no longer a member after a reconnect: nothing to show.
    effect(() => {
      const gone = this.openedId() !== null && this.channels.activeId() === null;
      if (gone && this.session.signedIn()) void this.router.navigateByUrl('/');
    });
    effect(() => {
      const name = this.current()?.name;
      this.title.setTitle(name ? `#${name} · Flack` : 'Flack');
    });
    inject(DestroyRef).onDestroy(() => this.channels.close());
  }

  /** Queued in the outbox: shown at once as pending, sent now or when the connection is back. */
  protected send(text: string): void {
    const channel = this.current();
    if (!channel) return;
    this.draft.set('');
    this.messagesStore.send(channel.id, text);
  }

  protected retry(clientId: string): void {
    this.messagesStore.retry(clientId);
  }

  protected discard(clientId: string): void {
    this.messagesStore.discard(clientId);
    this.composer()?.focus();
  }

  protected async leave(): Promise<void> {
    const channel = this.current();
    if (!channel) return;
    this.leaving.set(true);
    const left = await this.channels.leave(channel.id);
    this.leaving.set(false);
    if (left) await this.router.navigateByUrl('/');
  }

  private async open(ref: string): Promise<void> {
    this.requested = ref;
    this.opening.set(true);
    this.openedId.set(null);
    this.draft.set('');
    const channel = await this.channels.open(ref);
    if (this.requested !== ref) return;
    this.opening.set(false);
    if (!channel) {
      this.requested = null;
      return;
    }
    this.openedId.set(channel.id);
    if (channel.id !== ref) {
      // Opened by name: show the canonical address without opening it again.
      this.requested = channel.id;
      await this.router.navigate(['/c', channel.id], { replaceUrl: true });
    }
    this.composer()?.focus();
  }
}
