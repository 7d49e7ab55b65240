import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterRenderEffect,
  computed,
  effect,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Avatar } from '../shared/avatar';
import { formatDay, formatFullTime, formatTime, localDayKey } from './local-time';
import { MessageText } from './message-text';
import type { ChatMessage } from './messages-store';

interface MessageRow {
  /** Stable from pending to sent (one author, one clientId), so the row is not rebuilt on its ack. */
  key: string;
  message: ChatMessage;
  own: boolean;
  time: string;
  fullTime: string;
  /** The day divider to show above this message, when it starts a new day. */
  day: string | null;
  /** Same author shortly after their previous message: shown without avatar and name, as one block. */
  continued: boolean;
  /** The first message the reader had not read when they opened the channel: "New messages" above it. */
  firstUnread: boolean;
}

/** Messages by one author closer together than this form one block. */
const GROUP_WINDOW_MS = 5 * 60_000;

/** Closer than this to the end counts as "at the bottom". */
const STICK_THRESHOLD_PX = 48;

/**
 * The channel's messages, oldest first, as a `role="log"`. Stays scrolled to the newest message
 * while the reader is at the bottom; otherwise offers a jump to the newest.
 */
@Component({
  selector: 'app-message-list',
  imports: [Avatar, MessageText],
  templateUrl: './message-list.html',
  styleUrl: './message-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageList {
  readonly messages = input.required<readonly ChatMessage[]>();
  readonly ownUserId = input<string | null>(null);
  /** The reader's display name: their `@mentions` are highlighted. */
  readonly mentionName = input<string | null>(null);
  /** How the conversation is called, sigil included: `#general`, `@bob`. */
  readonly channelName = input.required<string>();
  /** The id of the heading that names this log. */
  readonly labelledBy = input<string | null>(null);
  /** Whether pending messages are being sent now, or wait for the connection. */
  readonly online = input(true);
  /** A failed message's clientId, to send again. */
  readonly retry = output<string>();
  /** A failed message's clientId, to drop. */
  readonly discard = output<string>();
  /** Messages after this seq were unread when the channel was opened; null: no divider. */
  readonly unreadAfterSeq = input<number | null>(null);
  /** One of the reader's own messages, to edit. */
  readonly edit = output<ChatMessage>();
  /** One of the reader's own messages, to delete (after they confirmed here). */
  readonly remove = output<ChatMessage>();

  /** The message whose deletion waits for a second click. */
  protected readonly confirmingDelete = signal<string | null>(null);

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private stickToBottom = true;
  /** The newest message the view was last drawn with. */
  private seenNewest: string | null = null;
  protected readonly newBelow = signal(false);

  protected readonly rows = computed((): MessageRow[] => {
    const own = this.ownUserId();
    const unreadAfter = this.unreadAfterSeq();
    let dividerPlaced = false;
    let previous: ChatMessage | null = null;
    return this.messages().map((message) => {
      const firstUnread =
        !dividerPlaced &&
        unreadAfter !== null &&
        message.status === 'sent' &&
        message.author.id !== own &&
        message.seq > unreadAfter;
      if (firstUnread) dividerPlaced = true;
      const day = localDayKey(message.createdAt);
      const newDay = previous === null || localDayKey(previous.createdAt) !== day;
      const row: MessageRow = {
        key: `${message.author.id}:${message.clientId}`,
        message,
        own: message.author.id === own,
        time: formatTime(message.createdAt),
        fullTime: formatFullTime(message.createdAt),
        day: newDay ? formatDay(message.createdAt) : null,
        firstUnread,
        continued:
          !firstUnread &&
          !newDay &&
          previous !== null &&
          previous.author.id === message.author.id &&
          Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS,
      };
      previous = message;
      return row;
    });
  });

  constructor() {
    // Another channel: start at its newest message.
    effect(() => {
      this.channelName();
      untracked(() => {
        this.stickToBottom = true;
        this.seenNewest = null;
        this.newBelow.set(false);
      });
    });
    afterRenderEffect({
      write: () => {
        const rows = this.rows();
        const newest = rows.at(-1);
        // Something came after what was the newest (a full channel drops its oldest as it does, so
        // counting would miss it); a deleted newest message is not news.
        const arrived =
          newest !== undefined &&
          newest.key !== this.seenNewest &&
          rows.some((row) => row.key === this.seenNewest);
        // The reader just wrote it: show it to them wherever they were.
        if (arrived && newest.own && newest.message.status === 'pending') this.stickToBottom = true;
        const element = this.scroller().nativeElement;
        if (this.stickToBottom) {
          element.scrollTop = element.scrollHeight;
          this.newBelow.set(false);
        } else if (arrived) {
          this.newBelow.set(true);
        }
        this.seenNewest = newest?.key ?? null;
      },
    });
  }

  protected askToDelete(message: ChatMessage): void {
    this.confirmingDelete.set(message.id);
  }

  protected confirmDelete(message: ChatMessage): void {
    this.confirmingDelete.set(null);
    this.remove.emit(message);
  }

  protected onScroll(): void {
    const element = this.scroller().nativeElement;
    this.stickToBottom =
      element.scrollHeight - element.scrollTop - element.clientHeight <= STICK_THRESHOLD_PX;
    if (this.stickToBottom) this.newBelow.set(false);
  }

  protected jumpToNewest(): void {
    const element = this.scroller().nativeElement;
    this.stickToBottom = true;
    this.newBelow.set(false);
    element.scrollTop = element.scrollHeight;
  }
}
