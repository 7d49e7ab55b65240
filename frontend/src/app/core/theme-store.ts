import { DOCUMENT, DestroyRef, Injectable, inject, signal } from '@angular/core';
import { BROWSER_STORAGE } from './storage';

/** System follows the OS (prefers-color-scheme), live; Light and Dark hold whatever the OS says. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/**
 * Where the choice is kept. index.html reads the same key in its one inline script, so a saved
 * theme is on <html> before the first paint (no flash of the other theme on reload).
 */
export const THEME_STORAGE_KEY = 'flack.theme';

/**
 * The frame's colour (`--frame-bg` in styles.css) in each theme, for the browser's own bar
 * (`<meta name="theme-color">`, one per OS scheme in index.html, whose inline script knows them too).
 */
export const FRAME_COLORS = { light: '#211d4f', dark: '#121218' } as const;

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

/**
 * The person's theme, remembered in this browser. Light and Dark set `data-theme` on <html>, which
 * sets `color-scheme` (styles.css), and every token's `light-dark()` follows; System removes it, so
 * `color-scheme: light dark` lets the OS decide. Other tabs of this browser follow a change.
 */
@Injectable({ providedIn: 'root' })
export class ThemeStore {
  private readonly storage = inject(BROWSER_STORAGE);
  private readonly document = inject(DOCUMENT);
  private readonly state = signal<ThemeChoice>(this.saved());
  readonly choice = this.state.asReadonly();

  constructor() {
    this.apply(this.state());
    const window = this.document.defaultView;
    const followOtherTabs = (event: StorageEvent) => {
      if (event.key !== THEME_STORAGE_KEY) return;
      this.state.set(this.saved());
      this.apply(this.state());
    };
    window?.addEventListener('storage', followOtherTabs);
    inject(DestroyRef).onDestroy(() => window?.removeEventListener('storage', followOtherTabs));
  }

  choose(choice: ThemeChoice): void {
    this.state.set(choice);
    try {
      if (choice === 'system') this.storage.removeItem(THEME_STORAGE_KEY);
      else this.storage.setItem(THEME_STORAGE_KEY, choice);
    } catch {
      /* storage full or disabled: the choice holds for this visit */
    }
    this.apply(choice);
  }

  private saved(): ThemeChoice {
    try {
      const value = this.storage.getItem(THEME_STORAGE_KEY);
      return isThemeChoice(value) ? value : 'system';
    } catch {
      return 'system';
    }
  }

  private apply(choice: ThemeChoice): void {
    const root = this.document.documentElement;
    if (choice === 'system') delete root.dataset['theme'];
    else root.dataset['theme'] = choice;
    // The meta tag colours what CSS does not reach (scrollbars, the canvas while a page loads).
    this.document
      .querySelector('meta[name="color-scheme"]')
      ?.setAttribute('content', choice === 'system' ? 'light dark' : choice);
    // The browser's bar: each tag's own scheme under System, the picked theme's colour otherwise.
    for (const meta of this.document.querySelectorAll<HTMLMetaElement>('meta[name="theme-color"]')) {
      const scheme = meta.media.includes('dark') ? 'dark' : 'light';
      meta.content = FRAME_COLORS[choice === 'system' ? scheme : choice];
    }
  }
}
