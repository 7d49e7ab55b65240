import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  linkedSignal,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { LIMITS, type Reaction, type ReplyPreview } from '@flack/contract';
import { Avatar } from '../shared/avatar';
import { MessageFiles } from '../files/message-files';
import { PendingFiles } from '../files/pending-files';
import { formatDay, formatFullTime, formatTime, localDayKey } from './local-time';
import { EmojiPicker } from './emoji/emoji-picker';
import { excerptText } from './markdown/message-doc';
import { MessageText } from './message-text';
import type { ChatMessage } from './messages-store';

/** One emoji under a message, as its chip shows it. */
interface ReactionChip {
  emoji: string;
  count: number;
  /** The reader is among those who chose it: the chip is pressed, and clicking takes it back. */
  mine: boolean;
  /** Who chose it, the reader last as "you": "Ann, Ben and you". */
  names: string;
}

/** What a reply's quote can do: jump to the original, or say why it cannot. */
type QuoteState = 'loaded' | 'deleted' | 'gone';

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
  reactions: ReactionChip[];
  quote: QuoteState | null;
}

/** A reaction the reader asked for (or asked to take back) on a message. */
export interface ReactionRequest {
  message: ChatMessage;
  emoji: string;
}

/** The picker's size (emoji/emoji-picker.css) and its distance from the button and the edges. */
const PICKER_WIDTH = 328;
const PICKER_HEIGHT = 380;
const PICKER_GAP = 6;
const EDGE = 8;

/** How long a message jumped to stays highlighted. */
const HIGHLIGHT_MS = 2_000;
/**
 * Rows drawn in the first task while a channel opens, the newest first: one. A row costs a phone
 * 3-5 ms (its markdown, its layout), so 30 at once was a single 150 ms task; 8 still one over
 * Lighthouse's 50 ms, and 2 often were once its own tracing slowed the page (channel page 93-96,
 * against 94-99 with 1). A screen fills in over its first frames, from the bottom up, where the
 * newest are; older ones above, out of sight.
 */
const FIRST_ROWS = 1;
/**
 * How long building one frame's rows may take while a channel opens: each batch is as many rows
 * as fit at the last batch's cost per row, at most twice the last. A phone stays at a row or so a
 * frame; a desktop, where a row costs a fraction of a millisecond, fills a full channel in a few
 * frames instead of a hundred.
 */
const BATCH_BUDGET_MS = 6;

/** What in a message takes focus: reached with the arrow keys, out of the page's tab order (syncTabStops). */
const CONTROLS = 'a[href], button, input, select, textarea, [tabindex]';

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
  imports: [Avatar, EmojiPicker, MessageText, MessageFiles, PendingFiles],
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
  /** A message to answer. */
  readonly reply = output<ChatMessage>();
  /** An emoji to add to a message for the reader. */
  readonly react = output<ReactionRequest>();
  /** One of the reader's reactions to take back. */
  readonly unreact = output<ReactionRequest>();

  /** The message whose "Add reaction" picker is open. */
  /** A reply's quote without the original's formatting marks. */
  protected readonly excerptText = excerptText;
  protected readonly pickingFor = signal<string | null>(null);
  /**
   * Where the picker goes, in the viewport: above its button, or below it when there is no room.
   * Fixed, so the log's scrolling box does not cut it off at its top.
   */
  protected readonly pickerAt = signal({ top: 0, left: 0 });
  /** The message just jumped to, highlighted for a moment. */
  protected readonly highlighted = signal<string | null>(null);
  private highlightTimer: ReturnType<typeof setTimeout> | undefined;

  /** The message whose deletion waits for a second click. */
  protected readonly confirmingDelete = signal<string | null>(null);

  protected readonly historySize = LIMITS.historySize;
  /**
   * The oldest messages have left the history (the server keeps the newest historySize): seq 1 is
   * not shown, and so many came after it that it cannot merely have been deleted.
   */
  protected readonly historyTrimmed = computed(() => {
    const sent = this.messages().filter((message) => message.status === 'sent');
    return sent.length > 0 && sent[0].seq > 1 && sent.at(-1)!.seq > LIMITS.historySize;
  });

  /** Long messages (rows by key) taller than their collapsed height, and those the reader expanded. */
  protected readonly overflowing = signal<ReadonlySet<string>>(new Set());
  protected readonly expanded = signal<ReadonlySet<string>>(new Set());
  /** The list's width, as last observed: the long-message measurement depends on it. */
  private readonly listWidth = signal(0);

  /** The message the reader last focused; the list's one tab stop (the newest when none). */
  private readonly chosenKey = signal<string | null>(null);
  protected readonly activeKey = computed(() => {
    const rows = this.shownRows();
    const chosen = this.chosenKey();
    return rows.some((row) => row.key === chosen) ? chosen : (rows.at(-1)?.key ?? null);
  });

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private readonly injector = inject(Injector);
  private drawAllScheduled = false;
  /** Rows the next batch adds (see BATCH_BUDGET_MS), and the batch being built: its size and start. */
  private batchSize = FIRST_ROWS;
  private building: { rows: number; since: number | null } | null = null;
  private stickToBottom = true;
  /** The newest message the view was last drawn with. */
  private seenNewest: string | null = null;
  protected readonly newBelow = signal(false);

  protected readonly rows = computed((): MessageRow[] => {
    const own = this.ownUserId();
    const unreadAfter = this.unreadAfterSeq();
    let dividerPlaced = false;
    let previous: ChatMessage | null = null;
    const messages = this.messages();
    const loaded = new Set(messages.map((message) => message.id));
    // Deleted messages are left out of the list but keep their seq: one missing after the oldest
    // shown was deleted; one before it has left the history.
    const oldestSeq = messages.find((message) => message.status === 'sent')?.seq ?? Infinity;
    return messages.map((message) => {
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
        reactions: (message.reactions ?? []).map((reaction) => reactionChip(reaction, own)),
        quote: message.replyTo ? quoteState(message.replyTo, loaded, oldestSeq) : null,
      };
      previous = message;
      return row;
    });
  });

  /**
   * How many of the newest rows are drawn. A list that has just been created draws none in the
   * task that builds it with its page (the header, the composer and the page's first layout are
   * a long task already), then FIRST_ROWS, then a batch a frame (BATCH_BUDGET_MS); another channel
   * opened in it starts with its newest FIRST_ROWS. The older ones follow above what the reader
   * already sees, so no single task is long: a channel of 100 long formatted messages otherwise
   * lays out all of them before the first paint. Messages that arrive meanwhile are drawn with the
   * rows already on screen.
   */
  private readonly drawnRows = linkedSignal<MessageRow[], number>({
    source: () => this.rows(),
    computation: (rows, previous) => {
      if (!previous) return 0;
      const newestBefore = previous.source.at(-1)?.key;
      let at = rows.length - 1;
      while (at >= 0 && rows[at].key !== newestBefore) at--;
      return previous.value + (at < 0 ? 0 : rows.length - 1 - at);
    },
  });

  /** The rows on screen: all of them, or the newest while a channel opens (see drawnRows). */
  protected readonly shownRows = computed((): MessageRow[] => {
    const rows = this.rows();
    const drawn = this.drawnRows();
    // A batch is timed from here, where the view starts to build it, to the render after: timed
    // from the task that asked for it, the scheduler's wait would count as the rows' cost.
    if (this.building && this.building.since === null) this.building.since = performance.now();
    return rows.length <= drawn ? rows : rows.slice(rows.length - drawn);
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    destroyRef.onDestroy(() => clearTimeout(this.highlightTimer));
    // Another channel: start at its newest message.
    let opened = false;
    effect(() => {
      this.channelName();
      untracked(() => {
        this.stickToBottom = true;
        this.seenNewest = null;
        this.newBelow.set(false);
        if (opened) this.drawnRows.set(FIRST_ROWS);
        this.batchSize = FIRST_ROWS;
        this.building = null;
        this.chosenKey.set(null);
        opened = true;
      });
    });
    afterRenderEffect({
      write: () => {
        // A "Show more" that appeared makes the list taller: still at the bottom after it.
        this.overflowing();
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
          // Nothing drawn yet, nothing to scroll: reading the height would lay the page out now,
          // in the task that built it, rather than in the frame after.
          if (this.shownRows().length > 0) element.scrollTop = element.scrollHeight;
          this.newBelow.set(false);
        } else if (arrived) {
          this.newBelow.set(true);
        }
        this.seenNewest = newest?.key ?? null;
        if (this.building && this.building.since !== null) {
          const { rows: built, since } = this.building;
          const perRow = Math.max((performance.now() - since) / built, 0.01);
          this.batchSize = Math.max(1, Math.min(Math.floor(BATCH_BUDGET_MS / perRow), 2 * built));
          this.building = null;
        }
        if (rows.length > this.drawnRows() && !this.drawAllScheduled) {
          this.drawAllScheduled = true;
          const drawMore = () => {
            this.drawAllScheduled = false;
            // FIRST_ROWS for a list just created or another channel (batchSize starts there).
            const batch = this.batchSize;
            this.building = { rows: batch, since: null };
            this.drawnRows.update((drawn) => drawn + batch);
          };
          // The newest rows in the next task; then, after each frame is painted (the next
          // animation frame, then a task), the next older ones.
          if (this.drawnRows() === 0) setTimeout(drawMore);
          else requestAnimationFrame(() => setTimeout(drawMore));
        }
      },
    });
    // A message that fitted may no longer (a phone turned upright, a narrower window), and one that
    // did not may now: measured again whenever the list's width changes.
    afterNextRender(() => {
      if (typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(([entry]) => this.listWidth.set(entry.contentRect.width));
      observer.observe(this.scroller().nativeElement);
      destroyRef.onDestroy(() => observer.disconnect());
    });
    afterRenderEffect({
      read: () => {
        this.shownRows();
        this.listWidth();
        const expanded = this.expanded();
        const before = untracked(this.overflowing);
        const found = new Set([...before].filter((key) => expanded.has(key)));
        for (const text of this.scroller().nativeElement.querySelectorAll<HTMLElement>('.text.collapsed')) {
          if (text.scrollHeight > text.clientHeight + 1) found.add(text.dataset['key']!);
        }
        if (found.size !== before.size || [...found].some((key) => !before.has(key))) {
          this.overflowing.set(found);
        }
      },
    });
    // Also the links and buttons that child components draw in a message: set as they are added.
    afterNextRender(() => {
      const log = this.scroller().nativeElement;
      this.syncTabStops(log);
      if (typeof MutationObserver === 'undefined') return;
      const observer = new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) if (node instanceof HTMLElement) this.syncTabStops(node);
        }
      });
      observer.observe(log, { childList: true, subtree: true });
      destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  /** The message whose links and buttons have focus: Tab moves among them (see onKeydown). */
  private enteredKey: string | null = null;

  /**
   * A message's links, buttons and chips are tab stops only while focus is among them; the list
   * itself is one tab stop, so Tab from a message goes on to the composer. Set for what is in
   * `scope`: the whole list when focus enters or leaves a message, otherwise what was just added
   * (a pass over every message after every render cost a phone most of each frame while a channel
   * opened, and ran again at every keystroke in the composer).
   */
  private syncTabStops(scope: HTMLElement): void {
    const controls = [...scope.querySelectorAll<HTMLElement>(CONTROLS)];
    if (scope.matches(CONTROLS)) controls.push(scope);
    for (const control of controls) {
      // The message itself is the list's roving tab stop; the emoji picker keeps its own.
      const article = control.parentElement?.closest<HTMLElement>('article');
      if (!article || control.closest('app-emoji-picker')) continue;
      const stop = article.dataset['key'] === this.enteredKey ? 0 : -1;
      if (control.tabIndex !== stop) control.tabIndex = stop;
    }
  }

  private enter(key: string | null): void {
    if (key === this.enteredKey) return;
    this.enteredKey = key;
    this.syncTabStops(this.scroller().nativeElement);
  }

  /**
   * Scrolls to a loaded message, highlights it for a moment and focuses it (a reply's quote, a search
   * result). Returns false when it is not in the loaded history.
   */
  reveal(id: string): boolean {
    if (this.shownRows().length < this.rows().length) {
      // Still opening: draw every row, then go there.
      if (!this.rows().some((row) => row.message.id === id)) return false;
      this.drawnRows.set(Infinity);
      afterNextRender(() => this.reveal(id), { injector: this.injector });
      return true;
    }
    const article = [...this.scroller().nativeElement.querySelectorAll<HTMLElement>('article[data-id]')].find(
      (element) => element.dataset['id'] === id,
    );
    if (!article) return false;
    this.stickToBottom = false;
    this.newBelow.set(false);
    article.scrollIntoView?.({ block: 'center' });
    article.focus({ preventScroll: true });
    clearTimeout(this.highlightTimer);
    this.highlighted.set(id);
    this.highlightTimer = setTimeout(() => this.highlighted.set(null), HIGHLIGHT_MS);
    return true;
  }

  protected reactionLabel(chip: ReactionChip): string {
    return `${chip.emoji} ${chip.count}: ${chip.names}`;
  }

  protected toggleReaction(message: ChatMessage, chip: ReactionChip): void {
    (chip.mine ? this.unreact : this.react).emit({ message, emoji: chip.emoji });
  }

  /** Opens a message's "Add reaction" picker next to its button (it focuses its search), or closes it. */
  protected togglePicker(message: ChatMessage, opener: HTMLElement): void {
    if (this.pickingFor() === message.id) {
      this.pickingFor.set(null);
      return;
    }
    const button = opener.getBoundingClientRect();
    const width = Math.min(PICKER_WIDTH, window.innerWidth - 2 * EDGE);
    const height = Math.min(PICKER_HEIGHT, window.innerHeight * 0.6);
    const above = button.top - PICKER_GAP - height;
    const top =
      above >= EDGE
        ? above
        : Math.max(EDGE, Math.min(button.bottom + PICKER_GAP, window.innerHeight - height - EDGE));
    const left = Math.max(EDGE, Math.min(button.right - width, window.innerWidth - width - EDGE));
    this.pickerAt.set({ top, left });
    this.pickingFor.set(message.id);
  }

  /** From the picker: adds the reaction, closes the picker and gives focus back to its button. */
  protected pick(message: ChatMessage, emoji: string, opener: HTMLElement): void {
    this.react.emit({ message, emoji });
    this.pickingFor.set(null);
    opener.focus();
  }

  protected askToDelete(message: ChatMessage): void {
    this.confirmingDelete.set(message.id);
  }

  protected confirmDelete(message: ChatMessage): void {
    this.confirmingDelete.set(null);
    this.remove.emit(message);
  }

  protected toggleExpanded(key: string): void {
    this.expanded.update((keys) => {
      const next = new Set(keys);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  }

  protected onFocusIn(event: FocusEvent): void {
    const target = event.target as HTMLElement;
    const article = target.closest<HTMLElement>('article[data-key]');
    if (!article) return;
    const key = article.dataset['key']!;
    this.chosenKey.set(key);
    this.enter(target === article ? null : key);
  }

  protected onFocusOut(event: FocusEvent): void {
    const to = event.relatedTarget;
    if (!(to instanceof Node) || !this.scroller().nativeElement.contains(to)) this.enter(null);
  }

  /**
   * The list is one tab stop: Up, Down, Home and End move between messages; Right goes into the
   * focused message's links and buttons, Left and Right (and Tab) move among them, Left from the
   * first or Escape goes back to the message. Tab from a message leaves the list.
   */
  protected onKeydown(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target as HTMLElement;
    const article = target.closest<HTMLElement>('article[data-key]');
    // A picker or a lightbox in a message has its own keys.
    if (!article || target.closest('app-emoji-picker, [role="dialog"], dialog')) return;
    let next: HTMLElement | undefined;
    if (target === article) {
      const articles = [...this.scroller().nativeElement.querySelectorAll<HTMLElement>('article[data-key]')];
      const at = articles.indexOf(article);
      const moves: Record<string, HTMLElement | undefined> = {
        ArrowUp: articles[at - 1],
        ArrowDown: articles[at + 1],
        Home: articles[0],
        End: articles.at(-1),
        ArrowRight: controlsOf(article)[0],
      };
      if (!(event.key in moves)) return;
      next = moves[event.key];
    } else {
      const controls = controlsOf(article);
      const at = controls.indexOf(target);
      if (at < 0) return;
      if (event.key === 'ArrowRight') next = controls[(at + 1) % controls.length];
      else if (event.key === 'ArrowLeft') next = at === 0 ? article : controls[at - 1];
      else if (event.key === 'Escape') {
        next = article;
        // Back to the message only, not what Escape does on the page (mark read).
        event.stopPropagation();
      } else return;
    }
    event.preventDefault();
    if (!next) return;
    if (next.matches('article')) {
      next.scrollIntoView?.({ block: 'nearest' });
      next.focus({ preventScroll: true });
    } else {
      next.focus();
    }
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

/** A message's links and buttons, in reading order (not its reaction picker's). */
function controlsOf(article: HTMLElement): HTMLElement[] {
  return [...article.querySelectorAll<HTMLElement>(CONTROLS)].filter(
    (control) =>
      !control.closest('app-emoji-picker') &&
      !(control as HTMLButtonElement).disabled &&
      (control.checkVisibility?.() ?? true),
  );
}

function reactionChip(reaction: Reaction, own: string | null): ReactionChip {
  const mine = reaction.users.some((user) => user.id === own);
  const names = reaction.users.filter((user) => user.id !== own).map((user) => user.name);
  if (mine) names.push('you');
  return { emoji: reaction.emoji, count: reaction.users.length, mine, names: listOf(names) };
}

/** "Ann", "Ann and Ben", "Ann, Ben and you". */
function listOf(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The server marks a quote whose original was deleted; one not marked yet (the deletion is on its
 * way) is known deleted when it was newer than the oldest message shown.
 */
function quoteState(original: ReplyPreview, loaded: ReadonlySet<string>, oldestSeq: number): QuoteState {
  if (original.deleted) return 'deleted';
  if (loaded.has(original.id)) return 'loaded';
  return original.seq > oldestSeq ? 'deleted' : 'gone';
}
