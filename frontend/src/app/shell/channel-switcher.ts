import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  ElementRef,
  afterRenderEffect,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import { searchQueryProblem, type Channel, type User } from '@flack/contract';
import { ChannelsStore } from '../channels/channels-store';
import { Drawer } from '../core/drawer';
import { SessionStore } from '../core/session-store';
import { byName } from '../core/text';
import { PresenceStore } from '../people/presence-store';
import { SearchStore } from '../search/search-store';
import { KeyboardShortcuts } from './keyboard-shortcuts';
import { ModalDialog } from './modal-dialog';

/** One choice of the switcher: a channel to open or join, a person to write to, or a message search. */
export type SwitcherOption =
  | { kind: 'channel'; channel: Channel }
  | { kind: 'unjoined'; channel: Channel }
  | { kind: 'person'; user: User; online: boolean }
  | { kind: 'search'; query: string };

export interface SwitcherGroup {
  /** What the group is, as its heading reads. */
  label: string;
  options: SwitcherOption[];
}

/** More than this many matches is a list nobody reads: the rest wait for more typing. */
export const MAX_RESULTS = 50;

/** Width- and case-folded, as channel names are compared. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * How well `name` matches `query` (both folded), lower is better, null for not at all: 0 starts
 * with it, 1 a word in it starts with it, 2 contains it, 3 has its characters in order ("gnrl").
 */
function matchQuality(name: string, query: string): number | null {
  if (query === '') return 0;
  const at = name.indexOf(query);
  if (at === 0) return 0;
  if (at > 0) return /[\s\-_.]/u.test(name[at - 1]) ? 1 : 2;
  const wanted = [...query];
  let found = 0;
  for (const character of name) if (character === wanted[found]) found++;
  return found === wanted.length ? 3 : null;
}

/** The items whose name matches `query`, the better match first, then in the order given. */
export function rankByName<T>(items: readonly T[], nameOf: (item: T) => string, query: string): T[] {
  const wanted = fold(query.trim());
  return items
    .map((item, order) => ({ item, order, quality: matchQuality(fold(nameOf(item)), wanted) }))
    .filter((ranked): ranked is typeof ranked & { quality: number } => ranked.quality !== null)
    .sort((a, b) => a.quality - b.quality || a.order - b.order)
    .map(({ item }) => item);
}

export interface SwitcherSources {
  joined: readonly Channel[];
  notJoined: readonly Channel[];
  /** People one can write to: those online and those one already has a conversation with. */
  people: readonly User[];
  online: ReadonlySet<string>;
  query: string;
}

/**
 * What the switcher offers for `query`, grouped: your channels, people (to write to), channels you
 * have not joined (to join), each ranked by how well the name matches; at most MAX_RESULTS of
 * those (`more` says how many wait for more typing); and last, for a query the search accepts,
 * "Search messages for …".
 */
export function switcherGroups({ joined, notJoined, people, online, query }: SwitcherSources): {
  groups: SwitcherGroup[];
  more: number;
} {
  const found: SwitcherGroup[] = [
    {
      label: 'Channels',
      options: rankByName(joined, (channel) => channel.name, query).map((channel) => ({
        kind: 'channel' as const,
        channel,
      })),
    },
    {
      label: 'People',
      options: rankByName(people, (user) => user.name, query).map((user) => ({
        kind: 'person' as const,
        user,
        online: online.has(user.id),
      })),
    },
    {
      label: 'Channels you have not joined',
      options: rankByName(notJoined, (channel) => channel.name, query).map((channel) => ({
        kind: 'unjoined' as const,
        channel,
      })),
    },
  ];
  let room = MAX_RESULTS;
  let more = 0;
  const groups: SwitcherGroup[] = [];
  for (const group of found) {
    const shown = group.options.slice(0, room);
    room -= shown.length;
    more += group.options.length - shown.length;
    if (shown.length > 0) groups.push({ label: group.label, options: shown });
  }
  const text = query.trim();
  if (text !== '' && searchQueryProblem(text) === null) {
    groups.push({ label: 'Messages', options: [{ kind: 'search', query: text }] });
  }
  return { groups, more };
}

/** A group as the template lists it: each option with its place in the whole list (for ↑/↓). */
interface ShownGroup {
  label: string;
  options: { option: SwitcherOption; index: number; key: string }[];
}

function optionKey(option: SwitcherOption): string {
  switch (option.kind) {
    case 'channel':
    case 'unjoined':
      return `${option.kind}:${option.channel.id}`;
    case 'person':
      return `person:${option.user.id}`;
    case 'search':
      return 'search';
  }
}

/**
 * Ctrl/Cmd+K: a modal dialog with a "Jump to…" field that finds, as one types, your channels,
 * people (to open a conversation with them), channels you have not joined (joined on pick), and
 * offers to search the messages for what was typed; ↑/↓ choose, Enter opens the chosen one,
 * Escape closes and gives focus back.
 */
@Component({
  selector: 'app-channel-switcher',
  templateUrl: './channel-switcher.html',
  styleUrl: './channel-switcher.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelSwitcher {
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly channels = inject(ChannelsStore);
  private readonly presence = inject(PresenceStore);
  private readonly session = inject(SessionStore);
  private readonly search = inject(SearchStore);
  private readonly drawer = inject(Drawer);
  private readonly shortcuts = inject(KeyboardShortcuts);

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');
  private readonly modal = new ModalDialog(this.document);

  protected readonly query = signal('');
  protected readonly selected = signal(0);
  /** Everyone online and everyone one has a conversation with, oneself aside, by name. */
  private readonly people = computed(() => {
    const own = this.session.user()?.id;
    const known = new Map<string, User>();
    for (const user of this.presence.online()) known.set(user.id, user);
    for (const dm of this.channels.directMessages()) for (const user of dm.dm ?? []) known.set(user.id, user);
    known.delete(own ?? '');
    return [...known.values()].sort(byName);
  });
  private readonly found = computed(() =>
    switcherGroups({
      joined: this.channels.joined(),
      notJoined: this.channels.notJoined(),
      people: this.people(),
      online: this.presence.onlineIds(),
      query: this.query(),
    }),
  );
  protected readonly groups = computed((): ShownGroup[] => {
    let index = 0;
    return this.found().groups.map(({ label, options }) => ({
      label,
      options: options.map((option) => ({ option, index: index++, key: optionKey(option) })),
    }));
  });
  private readonly options = computed(() => this.found().groups.flatMap((group) => group.options));
  protected readonly more = computed(() => this.found().more);
  protected readonly activeId = this.channels.activeId;
  protected readonly selectedOption = computed(() =>
    this.options().length > 0 ? `switcher-option-${this.selected()}` : null,
  );

  constructor() {
    afterRenderEffect(() =>
      this.modal.sync(
        this.dialog().nativeElement,
        this.shortcuts.switcherOpen(),
        () => this.field().nativeElement,
      ),
    );
    // Keep the chosen option in view as the arrows move through a long list.
    afterRenderEffect(() => {
      const id = this.selectedOption();
      if (id) this.document.getElementById(id)?.scrollIntoView?.({ block: 'nearest' });
    });
  }

  protected type(query: string): void {
    this.query.set(query);
    this.selected.set(0);
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.options().length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (count === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.selected.update((index) => (index + step + count) % count);
    } else if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      const chosen = this.options()[this.selected()];
      if (chosen) void this.go(chosen);
    }
  }

  /** Closed by Escape, a click outside, or the shortcut again. */
  protected onClose(): void {
    this.shortcuts.close('switcher');
    this.query.set('');
    this.selected.set(0);
    this.modal.restoreFocus(this.dialog().nativeElement);
  }

  protected async go(option: SwitcherOption): Promise<void> {
    this.modal.forgetFocus();
    this.shortcuts.close('switcher');
    this.drawer.close();
    switch (option.kind) {
      case 'channel':
      case 'unjoined':
        // Opening a channel joins it (the chat page's channel:join).
        await this.router.navigate(['/c', option.channel.id]);
        return;
      case 'person': {
        const dm = await this.channels.openDm(option.user.id);
        if (dm) await this.router.navigate(['/c', dm.id]);
        return;
      }
      case 'search':
        // Closed now, not after the next render: the search field cannot take focus under a modal.
        this.dialog().nativeElement.close();
        this.search.searchNow(option.query);
        return;
    }
  }
}
