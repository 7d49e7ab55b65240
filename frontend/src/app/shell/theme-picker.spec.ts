import { TestBed } from '@angular/core/testing';
import { ThemeStore } from '../core/theme-store';
import { ThemePicker } from './theme-picker';

describe('ThemePicker', () => {
  beforeEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset['theme'];
  });

  async function render() {
    const fixture = TestBed.createComponent(ThemePicker);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    const radio = (label: string) =>
      [...element.querySelectorAll('label')]
        .find((l) => l.textContent?.trim() === label)!
        .querySelector('input')!;
    return { fixture, element, radio };
  }

  it('offers System, Light and Dark as one named group, System picked at first', async () => {
    const { element, radio } = await render();

    expect(element.querySelector('legend')?.textContent).toBe('Theme');
    expect([...element.querySelectorAll('label')].map((l) => l.textContent?.trim())).toEqual([
      'System',
      'Light',
      'Dark',
    ]);
    expect(radio('System').checked).toBe(true);
  });

  it('picking Dark darkens the page and shows Dark as picked', async () => {
    const { fixture, radio } = await render();

    radio('Dark').click();
    await fixture.whenStable();

    expect(TestBed.inject(ThemeStore).choice()).toBe('dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(radio('Dark').checked).toBe(true);
    expect(radio('Dark').closest('label')?.classList).toContain('checked');
  });
});
