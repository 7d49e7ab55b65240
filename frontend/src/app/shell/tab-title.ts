import { Injectable, effect, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { SessionStore } from '../core/session-store';
import { channelTitle } from '../channels/channel-label';
import { ChannelsStore } from '../channels/channels-store';
import { UnreadStore } from '../channels/unread-store';

/** The tab title: unread total first (seen in the tab strip), then `#channel` or `@person`. */
@Injectable({ providedIn: 'root' })
export class TabTitle {
  constructor() {
    const title = inject(Title);
    const session = inject(SessionStore);
    const channels = inject(ChannelsStore);
    const unread = inject(UnreadStore);
    effect(() => {
      const total = unread.total();
      const channel = channels.active();
      const where = channel ? `${channelTitle(channel, session.user()?.id ?? null)} · ` : '';
      title.setTitle(`${total > 0 ? `(${total}) ` : ''}${where}Flack`);
    });
  }
}
