import { Injectable, InjectionToken, inject } from '@angular/core';
import { nameKey } from '@flack/contract';

/** Where the app keeps what must survive a closed browser. Tests may provide an in-memory one. */
export const BROWSER_STORAGE = new InjectionToken<Storage>('BROWSER_STORAGE', {
  providedIn: 'root',
  factory: () => localStorage,
});

const KEYS = {
  currentName: 'flack.currentName',
  tokens: 'flack.tokens',
  lastChannels: 'flack.lastChannels',
  outbox: 'flack.outbox',
  collapsedSections: 'flack.collapsedSections',
} as const;

/** A message written but not yet acknowledged by the server (see chat/outbox.ts). */
export interface SavedOutboxEntry {
  clientId: string;
  channel: string;
  text: string;
  /** When it was written, by this browser's clock (ISO 8601). */
  writtenAt: string;
  /** Set once the retries ran out or the server refused it: why, in words. */
  failure: string | null;
}

/**
 * What a name's token and outbox are saved under: the server's name key (contract/src/text.ts), so
 * whoever types "Alice", " alice " or "ALICE" (or "Straße" and "STRASSE") gets one identity back.
 */
export function savedNameKey(name: string): string {
  return nameKey(name.trim());
}

/**
 * The key entries were saved under before the server's name key was used here; differs from it only
 * for names with full case folding (ß, ς). Read as a fallback, removed on the next write.
 */
function olderSavedNameKey(name: string): string {
  return name.trim().normalize('NFKC').toLowerCase();
}

/**
 * The signed-in name, one session token per name used in this browser (so logging in again with a
 * name restores that identity), and the last open channel per user.
 */
@Injectable({ providedIn: 'root' })
export class SavedSessions {
  private readonly storage = inject(BROWSER_STORAGE);

  currentName(): string | null {
    return this.read(KEYS.currentName);
  }

  setCurrentName(name: string | null): void {
    this.write(KEYS.currentName, name);
  }

  tokenFor(name: string): string | null {
    const tokens = this.readMap(KEYS.tokens);
    return tokens[savedNameKey(name)] ?? tokens[olderSavedNameKey(name)] ?? null;
  }

  saveToken(name: string, token: string | null): void {
    const older = olderSavedNameKey(name);
    if (older !== savedNameKey(name)) this.updateMap(KEYS.tokens, older, null);
    this.updateMap(KEYS.tokens, savedNameKey(name), token);
  }

  lastChannel(userId: string): string | null {
    return this.readMap(KEYS.lastChannels)[userId] ?? null;
  }

  saveLastChannel(userId: string, channelId: string | null): void {
    this.updateMap(KEYS.lastChannels, userId, channelId);
  }

  /** The sidebar sections this browser keeps folded (shell/sidebar-sections.ts), by id. */
  collapsedSections(): string[] {
    const saved = this.readJson<Record<string, unknown>>(KEYS.collapsedSections, {});
    return Object.keys(saved).filter((id) => saved[id] === true);
  }

  saveCollapsedSections(ids: readonly string[]): void {
    this.write(
      KEYS.collapsedSections,
      ids.length > 0 ? JSON.stringify(Object.fromEntries(ids.map((id) => [id, true]))) : null,
    );
  }

  /** What `name` wrote and the server has not acknowledged yet, oldest first. */
  outbox(name: string): SavedOutboxEntry[] {
    const all = this.readJson<Record<string, unknown>>(KEYS.outbox, {});
    const entries = all[savedNameKey(name)] ?? all[olderSavedNameKey(name)];
    return Array.isArray(entries) ? entries.filter(isOutboxEntry) : [];
  }

  /**
   * Changes `name`'s saved outbox, read fresh each time: another tab of this browser may have
   * changed it since.
   */
  updateOutbox(name: string, change: (entries: SavedOutboxEntry[]) => SavedOutboxEntry[]): void {
    const all = this.readJson<Record<string, unknown>>(KEYS.outbox, {});
    const entries = change(this.outbox(name));
    delete all[olderSavedNameKey(name)];
    if (entries.length > 0) all[savedNameKey(name)] = entries;
    else delete all[savedNameKey(name)];
    this.write(KEYS.outbox, Object.keys(all).length > 0 ? JSON.stringify(all) : null);
  }

  private updateMap(key: string, entry: string, value: string | null): void {
    const map = this.readMap(key);
    if (value === null) delete map[entry];
    else map[entry] = value;
    this.write(key, JSON.stringify(map));
  }

  private readMap(key: string): Record<string, string> {
    return this.readJson<Record<string, string>>(key, {});
  }

  private readJson<T extends object>(key: string, fallback: T): T {
    try {
      const parsed: unknown = JSON.parse(this.read(key) ?? 'null');
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as T) : fallback;
    } catch {
      return fallback;
    }
  }

  private read(key: string): string | null {
    try {
      return this.storage.getItem(key);
    } catch {
      return null;
    }
  }

  // Storage can be full or disabled (private windows); the app then works for this visit only.
  private write(key: string, value: string | null): void {
    try {
      if (value === null) this.storage.removeItem(key);
      else this.storage.setItem(key, value);
    } catch {
      /* nothing to keep it in */
    }
  }
}

/** Storage is shared with other scripts and versions of the app: keep only well-formed entries. */
function isOutboxEntry(value: unknown): value is SavedOutboxEntry {
  if (!value || typeof value !== 'object') return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry['clientId'] === 'string' &&
    typeof entry['channel'] === 'string' &&
    typeof entry['text'] === 'string' &&
    typeof entry['writtenAt'] === 'string' &&
    (entry['failure'] === null || typeof entry['failure'] === 'string')
  );
}
