import { Injectable, InjectionToken, inject } from '@angular/core';

/** Where the app keeps what must survive a closed browser. Tests may provide an in-memory one. */
export const BROWSER_STORAGE = new InjectionToken<Storage>('BROWSER_STORAGE', {
  providedIn: 'root',
  factory: () => localStorage,
});

const KEYS = {
  currentName: 'flack.currentName',
  tokens: 'flack.tokens',
  lastChannels: 'flack.lastChannels',
} as const;

/** The same person typing "Alice" or " alice " gets the same saved token back. */
export function nameKey(name: string): string {
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
    return this.readMap(KEYS.tokens)[nameKey(name)] ?? null;
  }

  saveToken(name: string, token: string | null): void {
    this.updateMap(KEYS.tokens, nameKey(name), token);
  }

  lastChannel(userId: string): string | null {
    return this.readMap(KEYS.lastChannels)[userId] ?? null;
  }

  saveLastChannel(userId: string, channelId: string | null): void {
    this.updateMap(KEYS.lastChannels, userId, channelId);
  }

  private updateMap(key: string, entry: string, value: string | null): void {
    const map = this.readMap(key);
    if (value === null) delete map[entry];
    else map[entry] = value;
    this.write(key, JSON.stringify(map));
  }

  private readMap(key: string): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(this.read(key) ?? '{}');
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
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
