import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Channel } from '@flack/contract';
import { channelLabel } from './channel-label';
import type { UnreadCount } from './unread-store';

interface Section {
  id: string;
  title: string;
  joined: boolean;
  /** Direct conversations: `@name` instead of `#channel`. */
  direct?: boolean;
  channels: readonly Channel[];
  /** What to say when the section is empty. */
  empty: string;
}

/**
 * The channels, joined ones first, with unread counts and a separate mention badge. Each link's
 * accessible name starts with the channel name.
 */
@Component({
  selector: 'app-channel-list',
  imports: [RouterLink],
  templateUrl: './channel-list.html',
  styleUrl: './channel-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelList {
  readonly joined = input.required<readonly Channel[]>();
  readonly others = input.required<readonly Channel[]>();
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
  /** A channel link was followed (the drawer closes). */
  readonly picked = output<void>();

  protected readonly sections = computed((): Section[] => {
    const joined = this.joined();
    const others = this.others();
    return [
      {
        id: 'joined-channels',
        title: 'Your channels',
        joined: true,
        channels: joined,
        empty: 'You have not joined a channel yet. Open one below, or create your own.',
      },
      {
        id: 'other-channels',
        title: 'More channels',
        joined: false,
        channels: others,
        empty: joined.length
          ? 'You are in every channel there is.'
          : 'No channels yet. Name the first one in the New channel field.',
      },
      {
        id: 'direct-messages',
        title: 'Direct messages',
        joined: true,
        direct: true,
        channels: this.directMessages(),
        empty: 'Pick someone in the Online list to write to them alone.',
      },
    ];
  });

  /** A direct conversation is named after the other person. */
  protected label(channel: Channel): string {
    return channelLabel(channel, this.ownUserId());
  }
}
