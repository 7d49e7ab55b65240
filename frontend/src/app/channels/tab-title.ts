import { Injectable, effect, inject } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { ChannelsStore } from './channels-store';
import { UnreadStore } from './unread-store';

/** The tab title: unread total first (seen in the tab strip), then the open channel. */
@Injectable({ providedIn: 'root' })
export class TabTitle {
  constructor() {
    const title = inject(Title);
    const channels = inject(ChannelsStore);
    const unread = inject(UnreadStore);
    effect(() => {
      const total = unread.total();
      const name = channels.active()?.name;
      title.setTitle(`${total > 0 ? `(${total}) ` : ''}${name ? `#${name} · ` : ''}Flack`);
    });
  }
}
