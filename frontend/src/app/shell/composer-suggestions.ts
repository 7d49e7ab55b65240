import { Injectable, computed, inject } from '@angular/core';
import { ChannelsStore } from '../channels/channels-store';
import {
  ComposerSuggestions,
  type ChannelOption,
  type PersonOption,
} from '../chat/autocomplete/suggestion-sources';
import { SessionStore } from '../core/session-store';
import { MembersStore } from '../people/members-store';
import { PresenceStore } from '../people/presence-store';

/**
 * The composer's `@` and `#` lists from the people and channels stores (shell/ may read both):
 * members of the open channel, then whoever else is online; every channel, joined ones first.
 * Provided by the chat page.
 */
@Injectable()
export class ShellComposerSuggestions extends ComposerSuggestions {
  private readonly channelsStore = inject(ChannelsStore);
  private readonly presence = inject(PresenceStore);
  private readonly members = inject(MembersStore).membersOf(this.channelsStore.activeId);
  private readonly session = inject(SessionStore);
  private readonly ownId = computed(() => this.session.user()?.id ?? null);

  readonly people = computed((): readonly PersonOption[] => {
    const own = this.ownId();
    const online = this.presence.onlineIds();
    const members = (this.members() ?? []).filter((user) => user.id !== own);
    const memberIds = new Set(members.map((user) => user.id));
    const others = this.presence.online().filter((user) => user.id !== own && !memberIds.has(user.id));
    return [
      ...members.map((user) => ({ id: user.id, name: user.name, member: true, online: online.has(user.id) })),
      ...others.map((user) => ({ id: user.id, name: user.name, member: false, online: true })),
    ];
  });

  readonly channels = computed((): readonly ChannelOption[] =>
    [...this.channelsStore.joined(), ...this.channelsStore.notJoined()]
      .filter((channel) => !channel.dm)
      .map((channel) => ({ id: channel.id, name: channel.name })),
  );
}
