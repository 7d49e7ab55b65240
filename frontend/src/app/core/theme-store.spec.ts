import { TestBed } from '@angular/core/testing';
import { THEME_STORAGE_KEY, ThemeStore } from './theme-store';

describe('ThemeStore', () => {
  let meta: HTMLMetaElement;

  beforeEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset['theme'];
    meta = document.createElement('meta');
    meta.name = 'color-scheme';
    meta.content = 'light dark';
    document.head.append(meta);
  });

  afterEach(() => meta.remove());

  const root = () => document.documentElement;

  it('follows the system until a theme is picked', () => {
    const theme = TestBed.inject(ThemeStore);

    expect(theme.choice()).toBe('system');
    expect(root().dataset['theme']).toBeUndefined();
    expect(meta.content).toBe('light dark');
  });

  it('applies a picked theme to the page and remembers it for the next visit', () => {
    TestBed.inject(ThemeStore).choose('dark');

    expect(root().dataset['theme']).toBe('dark');
    expect(meta.content).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    TestBed.resetTestingModule();
    delete root().dataset['theme'];
    const next = TestBed.inject(ThemeStore);
    expect(next.choice()).toBe('dark');
    expect(root().dataset['theme']).toBe('dark');
  });

  it('going back to System forgets the choice and lets the OS decide again', () => {
    const theme = TestBed.inject(ThemeStore);
    theme.choose('light');
    theme.choose('system');

    expect(root().dataset['theme']).toBeUndefined();
    expect(meta.content).toBe('light dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });

  it("colours the browser's bar like the app's frame: each OS scheme under System, the picked theme otherwise", () => {
    const bars = (['light', 'dark'] as const).map((scheme) => {
      const bar = document.createElement('meta');
      bar.name = 'theme-color';
      bar.media = `(prefers-color-scheme: ${scheme})`;
      bar.content = 'stale';
      document.head.append(bar);
      return bar;
    });
    try {
      const theme = TestBed.inject(ThemeStore);
      expect(bars.map((bar) => bar.content)).toEqual(['#211d4f', '#121218']);

      theme.choose('dark');
      expect(bars.map((bar) => bar.content)).toEqual(['#121218', '#121218']);

      theme.choose('light');
      expect(bars.map((bar) => bar.content)).toEqual(['#211d4f', '#211d4f']);

      theme.choose('system');
      expect(bars.map((bar) => bar.content)).toEqual(['#211d4f', '#121218']);
    } finally {
      for (const bar of bars) bar.remove();
    }
  });

  it('treats anything else found in storage as System', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'sepia');

    expect(TestBed.inject(ThemeStore).choice()).toBe('system');
    expect(root().dataset['theme']).toBeUndefined();
  });

  it('follows a theme picked in another tab of this browser', () => {
    const theme = TestBed.inject(ThemeStore);
    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    window.dispatchEvent(new StorageEvent('storage', { key: THEME_STORAGE_KEY, newValue: 'light' }));

    expect(theme.choice()).toBe('light');
    expect(root().dataset['theme']).toBe('light');
  });
});
