import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { channelTitle } from '../channels/channel-label';
import { ChannelsStore } from '../channels/channels-store';
import { MessagesStore } from '../chat/messages-store';
import { strandedEntries, type OutboxEntry } from '../chat/outbox';
import { SessionStore } from '../core/session-store';

/** How long "Copied" shows on the button before it says Copy again. */
const COPIED_MS = 2_000;

/**
 * Messages that no channel page can show, listed above every page of the signed-in frame:
 * - "Not sent: the channel is gone": refused because the conversation is gone (a server restart
 *   that lost it) or this person is no longer in it; Copy keeps the words, Discard drops them.
 * - "Waiting to be sent": opened without a connection (the service worker's offline shell), so no
 *   channel is loaded to show them in; they go once Flack is reachable.
 */
@Component({
  selector: 'app-unsent-notice',
  template: `
    @if (stranded().length > 0) {
      <section class="notice" aria-labelledby="unsent-gone">
        <h2 id="unsent-gone" class="title">Not sent: the channel is gone</h2>
        <ul class="list">
          @for (entry of stranded(); track entry.clientId) {
            <li class="entry">
              <span class="where">
                Written to <bdi>{{ placeOf(entry) }}</bdi>{{
                  isKnown(entry) ? ', which you are no longer in' : ', which no longer exists'
                }}
              </span>
              <span class="text" dir="auto">{{ entry.text }}</span>
              <span class="actions">
                <button type="button" class="button button-secondary" (click)="copy(entry)">
                  {{ copied() === entry.clientId ? 'Copied' : 'Copy' }}
                </button>
                <button
                  type="button"
                  class="button button-secondary"
                  (click)="messages.discard(entry.clientId)"
                >
                  Discard
                </button>
              </span>
            </li>
          }
        </ul>
        @if (copyFailed()) {
          <p class="hint">Copying was refused by the browser: select the text and copy it yourself.</p>
        }
      </section>
    }
    @if (waiting().length > 0) {
      <section class="notice" aria-labelledby="unsent-waiting">
        <h2 id="unsent-waiting" class="title">Waiting to be sent</h2>
        <ul class="list">
          @for (entry of waiting(); track entry.clientId) {
            <li class="entry">
              <span class="where"
                >To <bdi>{{ placeOf(entry) }}</bdi>{{
                  entry.failure === null ? '' : ' · Not sent: ' + entry.failure
                }}</span
              >
              <span class="text" dir="auto">{{ entry.text }}</span>
            </li>
          }
        </ul>
        <p class="hint">
          {{ online() ? '' : 'You are offline. ' }}They are sent as soon as Flack can be reached.
        </p>
      </section>
    }
  `,
  styles: `
    :host {
      display: block;
      flex: none;
      max-height: 45%;
      overflow-y: auto;
    }
    .notice {
      padding: 10px 16px 12px;
      border-bottom: 1px solid var(--notice-border);
      background: var(--notice-bg);
      color: var(--text);
      font-size: 14px;
    }
    .title {
      margin: 0 0 6px;
      color: var(--notice);
      font-size: 14px;
      font-weight: 700;
    }
    .list {
      display: grid;
      gap: 8px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .entry {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto;
      gap: 2px 12px;
      align-items: center;
    }
    .where {
      grid-column: 1;
      color: var(--text-muted);
      font-size: 13px;
    }
    .text {
      grid-column: 1;
      overflow-wrap: anywhere;
      white-space: pre-wrap;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
      overflow: hidden;
    }
    .actions {
      grid-column: 2;
      grid-row: 1 / span 2;
      display: flex;
      gap: 8px;
    }
    .hint {
      margin: 8px 0 0;
      color: var(--text-muted);
      font-size: 13px;
    }
    @media (pointer: coarse) {
      .button {
        min-width: 44px;
        min-height: 44px;
      }
    }
    @media (max-width: 479.98px) {
      .entry {
        grid-template-columns: minmax(0, 1fr);
      }
      .actions {
        grid-column: 1;
        grid-row: auto;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '(window:online)': 'online.set(true)',
    '(window:offline)': 'online.set(false)',
  },
})
export class UnsentNotice {
  private readonly channels = inject(ChannelsStore);
  private readonly session = inject(SessionStore);
  protected readonly messages = inject(MessagesStore);
  protected readonly copied = signal<string | null>(null);
  protected readonly copyFailed = signal(false);
  /** The device's own network (the server may be out of reach with it on). */
  protected readonly online = signal(typeof navigator === 'undefined' || navigator.onLine);

  /** Judged once the channel list is in (and kept while offline later): before that, nothing is. */
  protected readonly stranded = computed(() =>
    this.channels.loaded() ? strandedEntries(this.messages.unsent(), this.channels.joinedIds()) : [],
  );

  /** Opened offline: no channel is loaded to show them in, so the whole outbox is listed here. */
  protected readonly waiting = computed(() => (this.channels.loaded() ? [] : this.messages.unsent()));

  private readonly names = computed(
    () =>
      new Map(
        this.channels
          .channels()
          .map((channel) => [channel.id, channelTitle(channel, this.session.user()?.id ?? null)]),
      ),
  );

  /** `#general`, `@bob`; for a channel that is gone, its id (the name as the server keys it). */
  protected placeOf(entry: OutboxEntry): string {
    return (
      this.names().get(entry.channel) ??
      (entry.channel.startsWith('dm:') ? 'a direct conversation' : `#${entry.channel}`)
    );
  }

  protected isKnown(entry: OutboxEntry): boolean {
    return this.names().has(entry.channel);
  }

  protected async copy(entry: OutboxEntry): Promise<void> {
    try {
      await navigator.clipboard.writeText(entry.text);
      this.copyFailed.set(false);
      this.copied.set(entry.clientId);
      setTimeout(() => {
        if (this.copied() === entry.clientId) this.copied.set(null);
      }, COPIED_MS);
    } catch {
      this.copyFailed.set(true);
    }
  }
}
