import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import { SectionToggle } from '../shared/section-toggle';
import type { Channel } from '@flack/contract';
import { channelLabel } from './channel-label';
import type { UnreadCount } from './unread-store';
import { UnreadBadges } from './unread-badges';

/** The sidebar's foldable sections (which are folded: shell/sidebar-sections.ts). */
export type SidebarSection = 'channels' | 'direct-messages' | 'online';

interface Section {
  id: SidebarSection;
  title: string;
  /** Direct conversations: `@name` instead of `#channel`. */
  direct?: boolean;
  channels: readonly Channel[];
  /** What to say when the section is empty. */
  empty: string;
}

/**
 * The channels this person joined and their direct conversations, each section foldable, with
 * unread counts and a separate mention badge. Each link's accessible name starts with the channel
 * name. The channels not joined are found through Browse channels (shell/browse-channels.ts), so a
 * server with 300 channels does not push the direct messages off the screen.
 */
@Component({
  selector: 'app-channel-list',
  imports: [RouterLink, SectionToggle, UnreadBadges],
  templateUrl: './channel-list.html',
  styleUrl: './channel-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelList {
  readonly joined = input.required<readonly Channel[]>();
  /** How many channels there are to browse (all, joined or not); the Browse button says it. */
  readonly channelCount = input(0);
  readonly activeId = input<string | null>(null);
  /** False while the first snapshot is on its way: nothing to list yet, but not "no channels". */
  readonly loaded = input(true);
  /** Direct conversations, shown by the other person's name. */
  readonly directMessages = input<readonly Channel[]>([]);
  readonly ownUserId = input<string | null>(null);
  /** Unread messages and mentions per joined channel. */
  readonly unread = input<ReadonlyMap<string, UnreadCount>>(new Map());
  /** Channels with an unsent draft (chat/drafts-store.ts): a pencil, except on the open one. */
  readonly drafts = input<ReadonlySet<string>>(new Set());
  /** The sections folded away (shell/sidebar-sections.ts). */
  readonly collapsed = input<ReadonlySet<SidebarSection>>(new Set());
  /** A channel link was followed (the drawer closes). */
  readonly picked = output<void>();
  /** Browse channels was pressed. */
  readonly browse = output<void>();
  /** A section's heading was pressed: fold or unfold it. */
  readonly toggled = output<SidebarSection>();

  protected readonly sections = computed((): Section[] => [
    {
      id: 'channels',
      title: 'Channels',
      channels: this.joined(),
      empty:
        this.channelCount() > 0
          ? 'You have not joined a channel yet. Browse them, or create your own.'
          : 'No channels yet. Name the first one in the New channel field.',
    },
    {
      id: 'direct-messages',
      title: 'Direct messages',
      direct: true,
      channels: this.directMessages(),
      empty: 'Pick someone in the Online list to write to them alone.',
    },
  ]);

  /** What a folded section hides: its unread messages and mentions, shown on its heading. */
  protected foldedCount(section: Section): UnreadCount {
    let unread = 0;
    let mentions = 0;
    for (const channel of section.channels) {
      const count = this.unread().get(channel.id);
      unread += count?.unread ?? 0;
      mentions += count?.mentions ?? 0;
    }
    return { unread, mentions };
  }

  /** A direct conversation is named after the other person. */
  protected label(channel: Channel): string {
    return channelLabel(channel, this.ownUserId());
  }
}
