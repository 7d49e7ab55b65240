import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  afterRenderEffect,
  effect,
  inject,
  computed,
  signal,
  untracked,
  viewChild,
  type Type,
} from '@angular/core';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { firstValueFrom, timeout } from 'rxjs';
import type { User } from '@flack/contract';
import { channelTitle } from '../channels/channel-label';
import { ChannelList } from '../channels/channel-list';
import { ChannelsStore } from '../channels/channels-store';
import { NewChannelForm } from '../channels/new-channel-form';
import { UnreadStore } from '../channels/unread-store';
import { DraftsStore } from '../chat/drafts-store';
import { MessagesStore } from '../chat/messages-store';
import { AlertStore } from '../core/alert-store';
import { Drawer } from '../core/drawer';
import { SessionStore } from '../core/session-store';
import { PeopleList } from '../people/people-list';
import { PresenceStore } from '../people/presence-store';
import { SearchBox } from '../search/search-box';
import { SearchStore } from '../search/search-store';
import { Avatar } from '../shared/avatar';
import { Logo } from '../shared/logo';
import { SectionToggle } from '../shared/section-toggle';
import { UpdatePrompt } from '../shared/update-prompt';
import { ChannelSwitcher } from './channel-switcher';
import { ConnectionCoordinator } from './connection-coordinator';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { Notifier } from './notifier';
import { BrowseChannels } from './browse-channels';
import { ShortcutsHelp } from './shortcuts-help';
import { SidebarSections, type SidebarSection } from './sidebar-sections';
import { TabTitle } from './tab-title';
import { UnsentNotice } from './unsent-notice';
import { ThemePicker } from './theme-picker';

/**
 * The stores the signed-in frame builds on, created in a task before it (app.routes.ts): each
 * subscribes to the socket and reads what this browser kept, which would otherwise lengthen the
 * task that builds the frame.
 */
export const SIGNED_IN_STORES: readonly Type<unknown>[] = [
  ChannelsStore,
  MessagesStore,
  UnreadStore,
  PresenceStore,
  DraftsStore,
  Notifier,
  KeyboardShortcuts,
  SidebarSections,
  SearchStore,
];

/** Where the sidebar is a drawer over the page (shell-page.css). */
const DRAWER_MEDIA = '(max-width: 767.98px)';
/** How long a closed drawer's lists may wait for the browser to be idle. */
const SIDEBAR_IDLE_TIMEOUT_MS = 3000;

/**
 * The signed-in frame: top bar with the person's name, the channel list (a drawer on phones),
 * the connection status, and the routed chat or welcome page; with it live the tab title, the
 * notifications, the shortcuts with their dialogs, and the coordination of every (re)connect.
 */

/** How long a channel created right after signing in waits for the connection. */
const SIGN_IN_WAIT_MS = 5_000;
@Component({
  selector: 'app-shell-page',
  imports: [
    RouterOutlet,
    RouterLink,
    ChannelList,
    NewChannelForm,
    Avatar,
    Logo,
    ChannelSwitcher,
    ShortcutsHelp,
    PeopleList,
    SearchBox,
    UnsentNotice,
    UpdatePrompt,
    ThemePicker,
    BrowseChannels,
    SectionToggle,
  ],
  templateUrl: './shell-page.html',
  styleUrl: './shell-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The keyboard shortcuts, Escape closing the drawer among them.
  host: { '(document:keydown)': 'shortcuts.handle($event)' },
})
export class ShellPage {
  private readonly router = inject(Router);
  private readonly alerts = inject(AlertStore);
  protected readonly session = inject(SessionStore);
  protected readonly channels = inject(ChannelsStore);
  protected readonly drawer = inject(Drawer);
  protected readonly shortcuts = inject(KeyboardShortcuts);
  protected readonly unread = inject(UnreadStore);
  protected readonly presence = inject(PresenceStore);
  protected readonly drafts = inject(DraftsStore);
  protected readonly notifier = inject(Notifier);
  protected readonly sections = inject(SidebarSections);

  protected readonly newChannelName = signal('');
  protected readonly creating = signal(false);
  protected readonly confirmingForget = signal(false);
  protected readonly sidebarError = this.alerts.at('sidebar');
  /** Browse channels: asked for once (its code loads then), and whether it is open now. */
  protected readonly browseRequested = signal(false);
  protected readonly browseOpen = signal(false);
  /**
   * The switcher and the shortcuts help are built the first time they open, then kept: opening a
   * channel does not build the switcher's list of every channel and person. Once true, each stops
   * reading its signal (`||=`), so it stays true.
   */
  private switcherAsked = false;
  private helpAsked = false;
  protected readonly switcherWanted = computed(() => (this.switcherAsked ||= this.shortcuts.switcherOpen()));
  protected readonly helpWanted = computed(() => (this.helpAsked ||= this.shortcuts.helpOpen()));
  /** The folded sidebar sections, for the channel list. */
  protected readonly collapsed = computed(
    () =>
      new Set<SidebarSection>(
        (['channels', 'direct-messages', 'online'] as const).filter((id) => this.sections.isCollapsed(id)),
      ),
  );
  /** What is unread over every conversation: the menu button shows it while the drawer is closed. */
  protected readonly unreadTotals = computed(() => {
    let unread = 0;
    let mentions = 0;
    for (const count of this.unread.counts().values()) {
      unread += count.unread;
      mentions += count.mentions;
    }
    return { unread, mentions };
  });
  /** "Open channel list, 3 mentions, 5 unread": the badge, said. */
  protected readonly menuLabel = computed(() => {
    const { unread, mentions } = this.unreadTotals();
    const parts = ['Open channel list'];
    if (mentions > 0) parts.push(`${mentions} ${mentions === 1 ? 'mention' : 'mentions'}`);
    if (unread > 0) parts.push(`${unread} unread`);
    return parts.join(', ');
  });
  /** What search results call each conversation: `#general`, or `@bob` for a direct one. */
  protected readonly channelTitles = computed(
    () =>
      new Map(
        this.channels
          .channels()
          .map((channel) => [channel.id, channelTitle(channel, this.session.user()?.id ?? null)]),
      ),
  );

  private readonly menuButton = viewChild.required<ElementRef<HTMLButtonElement>>('menuButton');
  private readonly closeButton = viewChild.required<ElementRef<HTMLButtonElement>>('closeButton');
  private readonly sidebar = viewChild.required<ElementRef<HTMLElement>>('sidebar');

  /**
   * The sidebar is built after the page's first paint, in two tasks: the channels, then who is
   * online and the foot; the lists would otherwise lengthen the task that draws the page (a
   * phone's main thread spends ~20 ms on them; Lighthouse counts a task over 50 ms at its 4x
   * slowdown as blocking). A phone opens on the channel with the sidebar a closed drawer: there it
   * is built when the browser is next idle, or when the drawer opens, whichever comes first.
   */
  protected readonly sidebarStage = signal(0);

  constructor() {
    const view = inject(DOCUMENT).defaultView;
    const drawerOnly = view?.matchMedia?.(DRAWER_MEDIA).matches ?? false;
    const later = (step: () => void) =>
      drawerOnly && view && 'requestIdleCallback' in view
        ? view.requestIdleCallback(step, { timeout: SIDEBAR_IDLE_TIMEOUT_MS })
        : setTimeout(step);
    // The second stage is queued after the change detection the first one schedules.
    afterNextRender(() =>
      later(() => {
        this.sidebarStage.update((stage) => Math.max(stage, 1));
        later(() => this.sidebarStage.set(2));
      }),
    );
    effect(() => {
      if (this.drawer.isOpen()) untracked(() => this.sidebarStage.set(2));
    });
    // Signed out from anywhere (Log out, session ended, name lost): back to the prompt.
    effect(() => {
      if (!this.session.signedIn()) void this.router.navigateByUrl('/login');
    });
    // Keyboard users land in the drawer when it opens, and back on the menu button when it closes.
    let wasOpen = false;
    afterRenderEffect(() => {
      const open = this.drawer.isOpen();
      if (open) {
        this.closeButton().nativeElement.focus();
      } else if (wasOpen && this.sidebar().nativeElement.contains(document.activeElement)) {
        this.menuButton().nativeElement.focus();
      }
      wasOpen = open;
    });
    // What a (re)connect means starts in the task after the frame's first paint: the stores it
    // creates and the snapshot it applies would otherwise lengthen the task that builds the frame.
    const injector = inject(Injector);
    afterNextRender(() => setTimeout(() => injector.get(ConnectionCoordinator)));
    inject(TabTitle);
    const destroyRef = inject(DestroyRef);
    // Whoever signs in next starts with the drawer closed.
    destroyRef.onDestroy(() => this.drawer.close());
    destroyRef.onDestroy(this.shortcuts.registerMarkRead(() => this.markCurrentRead()));
    destroyRef.onDestroy(this.shortcuts.registerUnreadNavigation((direction) => this.goToUnread(direction)));
    const search = inject(SearchStore);
    destroyRef.onDestroy(this.shortcuts.registerSearch(() => search.focus()));
  }

  /** Escape: the open channel counts as read (its divider stays until it is opened again). */
  private markCurrentRead(): void {
    const open = this.channels.activeId();
    if (open !== null) this.unread.markRead(open);
  }

  /** Alt+Shift+Up/Down: the previous or next channel, in list order, that has unread messages. */
  private goToUnread(direction: 1 | -1): void {
    const list = [...this.channels.joined(), ...this.channels.directMessages()];
    const current = list.findIndex((channel) => channel.id === this.channels.activeId());
    for (let step = 1; step <= list.length; step++) {
      const index = (current + direction * step + list.length * 2) % list.length;
      const channel = list[index];
      if (channel.id !== this.channels.activeId() && this.unread.countOf(channel.id).unread > 0) {
        void this.router.navigate(['/c', channel.id]);
        return;
      }
    }
  }

  protected openBrowse(): void {
    this.browseRequested.set(true);
    this.browseOpen.set(true);
  }

  /** From the Online list: write to that person alone. */
  protected async openDm(user: User): Promise<void> {
    const channel = await this.channels.openDm(user.id);
    if (!channel) return;
    this.drawer.close();
    await this.router.navigate(['/c', channel.id]);
  }

  /** A refusal is about the name as it was; editing it makes the message stale. */
  protected editNewChannelName(name: string): void {
    this.newChannelName.set(name);
    this.alerts.dismiss('sidebar');
  }

  protected async createChannel(name: string): Promise<void> {
    this.creating.set(true);
    // Just signed in, still connecting: wait for the session rather than answer "You are offline".
    if (this.session.connection() === 'connecting') {
      await firstValueFrom(this.session.synced.pipe(timeout({ first: SIGN_IN_WAIT_MS }))).catch(() => null);
    }
    const channel = await this.channels.create(name);
    this.creating.set(false);
    if (!channel) return;
    this.newChannelName.set('');
    this.drawer.close();
    await this.router.navigate(['/c', channel.id]);
  }

  protected logOut(): void {
    this.session.logOut();
  }

  protected async forget(): Promise<void> {
    const userId = this.session.user()?.id;
    if (!(await this.session.forget())) return;
    this.confirmingForget.set(false);
    // Forgotten for good: what they had typed goes too.
    if (userId !== undefined) this.drafts.forgetUser(userId);
  }
}
