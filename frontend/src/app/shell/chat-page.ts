import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { User } from '@flack/contract';
import { channelLabel, channelSigil, channelTitle } from '../channels/channel-label';
import { ChannelTopic } from '../channels/channel-topic';
import { ChannelsStore } from '../channels/channels-store';
import { UnreadStore } from '../channels/unread-store';
import { ComposerSuggestions } from '../chat/autocomplete/suggestion-sources';
import { Composer } from '../chat/composer';
import { DraftsStore } from '../chat/drafts-store';
import { MessageList, type ReactionRequest } from '../chat/message-list';
import { MessagesStore, type ChatMessage } from '../chat/messages-store';
import { AlertStore } from '../core/alert-store';
import { SessionStore } from '../core/session-store';
import { MembersStore } from '../people/members-store';
import { PeopleList } from '../people/people-list';
import { PresenceStore } from '../people/presence-store';
import { TypingStore } from '../people/typing-store';
import { ErrorAlert } from '../shared/error-alert';
import { AttachmentTray } from '../files/attachment-tray';
import { UploadsStore } from '../files/uploads-store';
import { ShellComposerSuggestions } from './composer-suggestions';
import { ModalDialog } from './modal-dialog';

/**
 * `/c/:channel`: joins and opens the channel, shows its history and live messages, sends, edits
 * and deletes; who is typing, who is a member, and where the reader stopped reading last time.
 * It lives in shell/ because it composes four features: the channel and its unread position
 * (channels/), the messages (chat/), the members and who is typing (people/).
 */
@Component({
  selector: 'app-chat-page',
  imports: [MessageList, Composer, ErrorAlert, RouterLink, PeopleList, ChannelTopic, AttachmentTray],
  templateUrl: './chat-page.html',
  styleUrl: './chat-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [{ provide: ComposerSuggestions, useClass: ShellComposerSuggestions }],
  host: {
    '[class.dropping]': 'dropping()',
    '(dragover)': 'onDragOver($event)',
    '(dragleave)': 'onDragLeave($event)',
    '(drop)': 'onDrop($event)',
  },
})
export class ChatPage {
  /** The `:channel` route parameter: a channel id (or name). */
  readonly channel = input.required<string>();
  /** The `?message=` query parameter: a message to scroll to once the channel is open (search results). */
  readonly message = input<string | undefined>();

  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly session = inject(SessionStore);
  private readonly channels = inject(ChannelsStore);
  private readonly messagesStore = inject(MessagesStore);
  private readonly unread = inject(UnreadStore);
  private readonly typing = inject(TypingStore);
  private readonly membersStore = inject(MembersStore);

  private readonly composer = viewChild(Composer);
  private readonly messageList = viewChild(MessageList);
  private readonly membersToggle = viewChild<ElementRef<HTMLButtonElement>>('membersToggle');
  private readonly membersPanel = viewChild<ElementRef<HTMLElement>>('membersPanel');
  private readonly leaveDialog = viewChild<ElementRef<HTMLDialogElement>>('leaveDialog');
  private readonly leaveCancel = viewChild<ElementRef<HTMLButtonElement>>('leaveCancel');
  private readonly document = inject(DOCUMENT);
  private readonly leaveModal = new ModalDialog(this.document);
  private readonly alerts = inject(AlertStore);
  /** The route parameter last asked for, so a reconnect does not open it a second time. */
  private requested: string | null = null;
  private readonly openedId = signal<string | null>(null);

  protected readonly opening = signal(true);
  protected readonly leaving = signal(false);
  /**
   * "Leave channel" asks first (a dialog), rather than acting on one tap beside the member count
   * or offering Undo: leaving tells every member at once and ends the notifications, so an Undo
   * would either delay it or show a leave and a join to everyone; Slack (private channels) and
   * Discord (servers) ask the same way.
   */
  protected readonly confirmingLeave = signal(false);
  /** The composer's text: the channel's saved draft (chat/drafts-store.ts), or the message being edited. */
  protected readonly draft = signal('');
  private readonly drafts = inject(DraftsStore);
  /** The draft as it was restored: not typing until it changes. */
  private readonly restoredDraft = signal('');
  /** The channel on screen: only once this page opened it, so a switch shows "Opening" not the last one. */
  protected readonly current = computed(() => {
    const channel = this.channels.active();
    return channel !== null && channel.id === this.openedId() ? channel : null;
  });
  protected readonly messages = this.messagesStore.messagesIn(this.channels.activeId);
  protected readonly ownUserId = computed(() => this.session.user()?.id ?? null);
  /** The channel's name, or the other person's for a direct conversation. */
  protected readonly label = computed(() => {
    const channel = this.current();
    return channel ? channelLabel(channel, this.ownUserId()) : '';
  });
  protected readonly sigil = computed(() => {
    const channel = this.current();
    return channel ? channelSigil(channel) : '#';
  });
  protected readonly title = computed(() => {
    const channel = this.current();
    return channel ? channelTitle(channel, this.ownUserId()) : '';
  });
  protected readonly mentionName = this.session.displayName;
  protected readonly online = this.session.ready;
  protected readonly error = inject(AlertStore).at('chat');
  /** Where the reader had stopped when this channel opened: "New messages" goes after it. */
  protected readonly unreadAfterSeq = signal<number | null>(null);
  /** The sent message being edited in the composer. */
  protected readonly editing = signal<ChatMessage | null>(null);
  /** The id of the message the next one sent answers. */
  private readonly replyingToId = signal<string | null>(null);
  /** That message as it is now (an edit shows in the reply bar); null once it is gone. */
  protected readonly replyingTo = computed(() => {
    const id = this.replyingToId();
    return id === null ? null : (this.messages().find((message) => message.id === id) ?? null);
  });
  protected readonly typists = this.typing.sentenceFor(this.openedId);
  protected readonly members = this.membersStore.membersOf(this.openedId);
  protected readonly onlineIds = inject(PresenceStore).onlineIds;
  protected readonly showMembers = signal(false);
  private readonly uploads = inject(UploadsStore);
  /** The files picked for the next message here (files/uploads-store.ts). */
  protected readonly tray = this.uploads.trayFor(this.openedId);
  /** Files are being dragged over the channel. */
  protected readonly dropping = signal(false);

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
    // Tell the others while typing a new message (not while editing), and when done.
    let typedIn: string | null = null;
    effect(() => {
      const channel = this.openedId();
      const typing = this.draft() !== '' && this.draft() !== this.restoredDraft() && this.editing() === null;
      if (typedIn !== null && (!typing || typedIn !== channel)) this.typing.stopped(typedIn);
      typedIn = typing ? channel : null;
      if (typing && channel !== null) this.typing.typed(channel);
    });
    // What is typed in a channel is its draft; a message being edited is not.
    effect(() => {
      const channel = this.openedId();
      const text = this.draft();
      if (channel !== null && this.editing() === null) this.drafts.save(channel, text);
    });
    // The message being answered was deleted by its author meanwhile: no reply to send, say so.
    effect(() => {
      if (this.replyingToId() === null || this.replyingTo() !== null || !this.current()) return;
      untracked(() => {
        this.replyingToId.set(null);
        this.alerts.show('chat', {
          code: 'NOT_FOUND',
          message:
            'The message you were replying to is gone (deleted, or no longer in the history): what you send now is a new message.',
        });
      });
    });
    // `?message=`: once the channel is open and drawn, show that message (each address once).
    let revealed: string | null = null;
    effect(() => {
      const id = this.message();
      const channel = this.openedId();
      const wanted = id && channel ? `${channel}\n${id}` : null;
      if (wanted === null || wanted === revealed) return;
      revealed = wanted;
      afterNextRender(() => this.reveal(id!), { injector: this.injector });
    });
    // The Leave dialog follows its signal; focus starts on Cancel, the action that changes nothing.
    afterRenderEffect(() => {
      const dialog = this.leaveDialog()?.nativeElement;
      const open = this.confirmingLeave();
      if (dialog) this.leaveModal.sync(dialog, open, () => this.leaveCancel()!.nativeElement);
    });
    inject(DestroyRef).onDestroy(() => {
      if (typedIn !== null) this.typing.stopped(typedIn);
      this.channels.close();
    });
  }

  /**
   * A new message is queued in the outbox (shown at once as pending, sent now or when the connection
   * is back); an edit is saved straight away.
   */
  protected async send(text: string): Promise<void> {
    const channel = this.current();
    if (!channel) return;
    const editing = this.editing();
    if (editing) {
      if (await this.messagesStore.edit(channel.id, editing.id, text)) this.stopEditing();
      return;
    }
    if (this.tray().some((upload) => upload.state === 'failed')) {
      this.alerts.show('chat', {
        code: 'INVALID',
        message: 'A file did not upload: retry it or remove it, then send.',
      });
      // The composer emptied its field as it sent: what was typed goes back.
      this.composer()?.restore(text);
      return;
    }
    const attachments = this.uploads
      .takeTray(channel.id)
      .map(({ key, name, size }) => ({ upload: key, name, size }));
    this.draft.set('');
    this.messagesStore.send(channel.id, text, this.replyingTo(), attachments);
    this.replyingToId.set(null);
  }

  /** Files picked, pasted or dropped: they start uploading, and the next message carries them. */
  protected attach(files: readonly File[]): void {
    const channel = this.current();
    if (!channel || files.length === 0) return;
    const refused = this.uploads.add(channel.id, files);
    if (refused) this.alerts.show('chat', { code: 'INVALID', message: refused });
    this.composer()?.focus();
  }

  protected onDragOver(event: DragEvent): void {
    if (!this.current() || this.editing() || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dropping.set(true);
  }

  protected onDragLeave(event: DragEvent): void {
    // Leaving for a child of the page is not leaving the page.
    const to = event.relatedTarget;
    if (!(to instanceof Node) || !(event.currentTarget as Node).contains(to)) this.dropping.set(false);
  }

  protected onDrop(event: DragEvent): void {
    this.dropping.set(false);
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0 || this.editing()) return;
    event.preventDefault();
    this.attach(files);
  }

  /** "Reply" on a message: the next message sent answers it. */
  protected startReply(message: ChatMessage): void {
    if (this.editing()) this.stopEditing();
    this.replyingToId.set(message.id);
    this.composer()?.focus();
  }

  protected cancelReply(): void {
    this.replyingToId.set(null);
    this.composer()?.focus();
  }

  protected async react({ message, emoji }: ReactionRequest): Promise<void> {
    await this.messagesStore.react(message.channel, message.id, emoji);
  }

  protected async unreact({ message, emoji }: ReactionRequest): Promise<void> {
    await this.messagesStore.unreact(message.channel, message.id, emoji);
  }

  /** `+:emoji:` as a whole message: a reaction to the newest message of the channel. */
  protected async reactToNewest(emoji: string): Promise<void> {
    const newest = this.messages()
      .filter((message) => message.status === 'sent')
      .at(-1);
    if (!newest) {
      this.alerts.show('chat', { code: 'NOT_FOUND', message: 'There is no message to react to yet.' });
      return;
    }
    if (await this.messagesStore.react(newest.channel, newest.id, emoji)) this.draft.set('');
  }

  /** Arrow Up in the empty composer: the newest message this person sent here. */
  protected editLast(): void {
    const own = this.ownUserId();
    const last = this.messages()
      .filter((message) => message.author.id === own && message.status === 'sent')
      .at(-1);
    if (last) this.startEditing(last);
  }

  protected startEditing(message: ChatMessage): void {
    this.replyingToId.set(null);
    this.editing.set(message);
    this.draft.set(message.text);
    this.composer()?.focus();
  }

  protected stopEditing(): void {
    this.editing.set(null);
    this.restoreDraft(this.openedId());
    this.composer()?.focus();
  }

  protected async delete(message: ChatMessage): Promise<void> {
    const channel = this.current();
    if (!channel) return;
    if (this.editing()?.id === message.id) this.stopEditing();
    if (this.replyingToId() === message.id) this.replyingToId.set(null);
    await this.messagesStore.delete(channel.id, message.id);
  }

  /** From the members list: write to that person alone. */
  protected async openDm(user: User): Promise<void> {
    if (user.id === this.ownUserId()) return;
    const channel = await this.channels.openDm(user.id);
    if (channel) await this.router.navigate(['/c', channel.id]);
  }

  /** The members panel opens with focus on it, so the first Tab reaches the first "Message" button. */
  protected toggleMembers(): void {
    this.showMembers.update((shown) => !shown);
    if (this.showMembers()) {
      afterNextRender(() => this.membersPanel()?.nativeElement.focus(), { injector: this.injector });
    }
  }

  /** Escape in the members panel closes it, with focus back on its toggle. */
  protected closeMembers(event: Event): void {
    event.preventDefault();
    this.showMembers.set(false);
    this.membersToggle()?.nativeElement.focus();
  }

  protected retry(clientId: string): void {
    this.messagesStore.retry(clientId);
  }

  protected discard(clientId: string): void {
    this.messagesStore.discard(clientId);
    this.composer()?.focus();
  }

  protected askToLeave(): void {
    this.confirmingLeave.set(true);
  }

  /** Cancel, Escape or a click outside: the dialog closes (its `close` event), focus goes back. */
  protected onLeaveDialogClosed(dialog: HTMLDialogElement): void {
    this.confirmingLeave.set(false);
    this.leaveModal.restoreFocus(dialog);
  }

  /** Confirmed: left, and the welcome page takes focus; refused, the reason shows by the composer. */
  protected async leave(): Promise<void> {
    const channel = this.current();
    if (!channel || this.leaving()) return;
    this.leaving.set(true);
    const left = await this.channels.leave(channel.id);
    this.leaving.set(false);
    if (left) this.leaveModal.forgetFocus();
    this.confirmingLeave.set(false);
    if (left) await this.router.navigateByUrl('/');
  }

  /** Scrolls to a message of the open channel; says so when it is no longer in the history. */
  private reveal(id: string): void {
    if (this.messageList()?.reveal(id)) return;
    this.alerts.show('chat', {
      code: 'NOT_FOUND',
      message: 'That message is no longer in the history of this channel.',
    });
  }

  private restoreDraft(channelId: string | null): void {
    const draft = channelId === null ? '' : this.drafts.draftFor(channelId);
    this.restoredDraft.set(draft);
    this.draft.set(draft);
  }

  private async open(ref: string): Promise<void> {
    this.requested = ref;
    this.opening.set(true);
    this.openedId.set(null);
    this.draft.set('');
    this.editing.set(null);
    this.replyingToId.set(null);
    this.confirmingLeave.set(false);
    const opened = await this.channels.open(ref);
    if (opened) this.messagesStore.loadHistory(opened.channel.id, opened.messages);
    if (this.requested !== ref) return;
    this.opening.set(false);
    if (!opened) {
      this.requested = null;
      return;
    }
    const { channel } = opened;
    // The divider goes where the reader stopped, then everything counts as read.
    const { unread } = this.unread.countOf(channel.id);
    this.unreadAfterSeq.set(unread > 0 ? this.unread.lastReadSeq(channel.id) : null);
    this.restoreDraft(channel.id);
    this.openedId.set(channel.id);
    this.unread.markRead(channel.id);
    void this.membersStore.load(channel.id);
    if (channel.id !== ref) {
      // Opened by name: show the canonical address without opening it again.
      this.requested = channel.id;
      await this.router.navigate(['/c', channel.id], { replaceUrl: true });
    }
    // The composer appears with the channel: focus it in the frame it is first drawn in, unless
    // something took the focus meanwhile (a message opened by its address). Focusing lays the
    // page out, which that frame does anyway; in the task that built the page it would lengthen
    // that task (Lighthouse's total blocking time).
    afterNextRender(
      () => {
        const focused = this.document.activeElement;
        requestAnimationFrame(() => {
          if (this.document.activeElement === focused) this.composer()?.focus();
        });
      },
      { injector: this.injector },
    );
  }
}
