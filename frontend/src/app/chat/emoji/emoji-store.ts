import { Injectable, computed, inject, signal } from '@angular/core';
import { BROWSER_STORAGE } from '../../core/storage';
import { withTone, type EmojiCatalog, type EmojiEntry, type SkinTone } from './emoji-catalog';

const KEYS = { skinTone: 'flack.emoji.skinTone', recent: 'flack.emoji.recent' } as const;
/** The "Recently used" row holds this many. */
export const RECENT_LIMIT = 24;

/**
 * The emoji data (loaded on first use, from a lazy chunk), the chosen skin tone and the recently
 * used emoji, both remembered in this browser. The picker and the composer share it.
 */
@Injectable({ providedIn: 'root' })
export class EmojiStore {
  private readonly storage = inject(BROWSER_STORAGE);
  private readonly loaded = signal<EmojiCatalog | null>(null);
  private loading: Promise<EmojiCatalog> | null = null;
  private readonly tone = signal<SkinTone>(this.readTone());
  private readonly recentEmoji = signal<readonly string[]>(this.readRecent());

  /** Null until load() has finished once. */
  readonly catalog = this.loaded.asReadonly();
  readonly skinTone = this.tone.asReadonly();
  /** Most recent first, as base emoji (the tone is applied when shown). */
  readonly recent = computed((): EmojiEntry[] => {
    const catalog = this.loaded();
    if (!catalog) return [];
    return this.recentEmoji()
      .map((emoji) => catalog.byEmoji.get(emoji))
      .filter((entry): entry is EmojiEntry => entry !== undefined);
  });

  /** Loads the data once; every caller gets the same promise. */
  load(): Promise<EmojiCatalog> {
    this.loading ??= import('./emoji-data').then(
      ({ catalog }) => {
        this.loaded.set(catalog);
        return catalog;
      },
      (error: unknown) => {
        // A failed chunk (offline after a deploy) may load on the next try.
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  /** The emoji for `:shortcode:`, in the chosen tone, or null (also while the data is loading). */
  emojiFor(shortcode: string): string | null {
    const entry = this.loaded()?.byShortcode.get(shortcode);
    return entry ? withTone(entry, this.tone()) : null;
  }

  /** The entry in the chosen tone. */
  toned(entry: EmojiEntry): string {
    return withTone(entry, this.tone());
  }

  setSkinTone(tone: SkinTone): void {
    this.tone.set(tone);
    this.write(KEYS.skinTone, String(tone));
  }

  /** Moves an emoji (any tone) to the front of "Recently used". */
  remember(emoji: string): void {
    const base = this.loaded()?.byEmoji.get(emoji)?.emoji ?? emoji;
    const next = [base, ...this.recentEmoji().filter((item) => item !== base)].slice(0, RECENT_LIMIT);
    this.recentEmoji.set(next);
    this.write(KEYS.recent, JSON.stringify(next));
  }

  private readTone(): SkinTone {
    const value = Number(this.read(KEYS.skinTone));
    return Number.isInteger(value) && value >= 0 && value <= 5 ? (value as SkinTone) : 0;
  }

  private readRecent(): string[] {
    try {
      const parsed: unknown = JSON.parse(this.read(KEYS.recent) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((item): item is string => typeof item === 'string').slice(0, RECENT_LIMIT)
        : [];
    } catch {
      return [];
    }
  }

  private read(key: string): string | null {
    try {
      return this.storage.getItem(key);
    } catch {
      return null;
    }
  }

  // Storage can be full or disabled (private windows): then it is remembered for this visit only.
  private write(key: string, value: string): void {
    try {
      this.storage.setItem(key, value);
    } catch {
      /* nothing to keep it in */
    }
  }
}
