import { DestroyRef, Injectable, computed, inject, signal, untracked } from '@angular/core';
import { BROWSER_STORAGE } from '../core/storage';
import { SessionStore } from '../core/session-store';

/** Saved as `{ [userId]: { [channelId]: text } }`. */
const KEY = 'flack.drafts';

type Drafts = Readonly<Record<string, string>>;

/**
 * What the person has typed and not sent, per channel, kept in this browser (localStorage) under
 * their user id, so it survives switching channels and reloading, and another name signed in here
 * does not see it. Other tabs' changes arrive through the `storage` event.
 */
@Injectable({ providedIn: 'root' })
export class DraftsStore {
  private readonly storage = inject(BROWSER_STORAGE);
  private readonly session = inject(SessionStore);
  private readonly userId = computed(() => this.session.user()?.id ?? null);
  /** What storage could not keep (full, or disabled in a private window): drafts then last as long as the page. */
  private memory: Record<string, Drafts> | null = null;
  /** Bumped when another tab wrote, so `drafts` reads storage again. */
  private readonly outsideChanges = signal(0);
  private readonly written = signal(0);

  /** The signed-in person's drafts, by channel id. */
  readonly drafts = computed((): Drafts => {
    this.outsideChanges();
    this.written();
    const userId = this.userId();
    return userId === null ? {} : (this.readAll()[userId] ?? {});
  });
  /** The channels with a draft, for the sidebar's mark. */
  readonly channelsWithDrafts = computed((): ReadonlySet<string> => new Set(Object.keys(this.drafts())));

  constructor() {
    const onStorage = (event: StorageEvent) => {
      if (event.key === KEY || event.key === null) this.outsideChanges.update((n) => n + 1);
    };
    window.addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => window.removeEventListener('storage', onStorage));
  }

  draftFor(channelId: string): string {
    return this.drafts()[channelId] ?? '';
  }

  /**
   * Saves the text typed in a channel; blank text is no draft. Untracked, so an effect that saves
   * does not run again when another tab writes (two tabs would otherwise overwrite each other forever).
   */
  save(channelId: string, text: string): void {
    untracked(() => {
      const userId = this.userId();
      const kept = text.trim() === '' ? '' : text;
      if (userId === null || this.draftFor(channelId) === kept) return;
      this.update(userId, (drafts) => {
        const next = { ...drafts };
        if (kept === '') delete next[channelId];
        else next[channelId] = kept;
        return next;
      });
    });
  }

  clear(channelId: string): void {
    this.save(channelId, '');
  }

  /** Drops every draft of this person (they asked to be forgotten). */
  forgetUser(userId: string): void {
    this.update(userId, () => ({}));
  }

  private update(userId: string, change: (drafts: Drafts) => Drafts): void {
    // Read fresh: another tab of this browser may have written since.
    const all = { ...this.readAll() };
    const drafts = change(all[userId] ?? {});
    if (Object.keys(drafts).length > 0) all[userId] = drafts;
    else delete all[userId];
    try {
      if (Object.keys(all).length > 0) this.storage.setItem(KEY, JSON.stringify(all));
      else this.storage.removeItem(KEY);
    } catch {
      this.memory = all;
    }
    this.written.update((n) => n + 1);
  }

  private readAll(): Record<string, Drafts> {
    if (this.memory) return this.memory;
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(KEY) ?? '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      // Storage is shared with other versions of the app: keep only well-formed entries.
      const all: Record<string, Drafts> = {};
      for (const [userId, drafts] of Object.entries(parsed as Record<string, unknown>)) {
        if (!drafts || typeof drafts !== 'object' || Array.isArray(drafts)) continue;
        const kept = Object.entries(drafts as Record<string, unknown>).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        );
        if (kept.length > 0) all[userId] = Object.fromEntries(kept);
      }
      return all;
    } catch {
      return {};
    }
  }
}
