// Theme: System / Light / Dark in the sidebar, remembered in this browser and on the page before
// its first paint; System follows the OS live (emulated with page.emulateMedia).
import type { Page } from '@playwright/test';
import { logOut, screen } from './support/chat';
import { expect, test } from './support/fixtures';

// The page and card backgrounds (var(--bg)) of each theme, as getComputedStyle reports them.
const LIGHT_BG = 'rgb(255, 255, 255)';
const DARK_BG = 'rgb(27, 29, 34)';

function themeRadio(page: Page, name: 'System' | 'Light' | 'Dark') {
  return page.getByRole('group', { name: 'Theme' }).getByRole('radio', { name });
}

/** What shows behind the middle of the main column: the first painted background under that point. */
async function surfaceColor(page: Page): Promise<string> {
  return page.getByRole('main').evaluate((main) => {
    const box = main.getBoundingClientRect();
    let element = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    for (; element; element = element.parentElement) {
      const color = getComputedStyle(element).backgroundColor;
      if (color !== 'rgba(0, 0, 0, 0)') return color;
    }
    return 'none';
  });
}

async function cardColor(page: Page): Promise<string> {
  return screen(page).displayNameField.evaluate((field) => getComputedStyle(field).backgroundColor);
}

test('Dark picked on a light OS darkens the app, and stays dark after a reload, signed out too', async ({
  newPerson,
}) => {
  const { page } = await newPerson('owl', { colorScheme: 'light' });
  expect(await surfaceColor(page)).toBe(LIGHT_BG);
  await expect(themeRadio(page, 'System')).toBeChecked();

  await themeRadio(page, 'Dark').check();
  await expect.poll(() => surfaceColor(page)).toBe(DARK_BG);
  await expect(page.locator('meta[name="color-scheme"]')).toHaveAttribute('content', 'dark');

  await page.reload();
  await expect(themeRadio(page, 'Dark')).toBeChecked();
  expect(await surfaceColor(page)).toBe(DARK_BG);

  // Signed out, the app never loads the picker: the page's own first script applies the choice.
  await logOut(page);
  await page.reload();
  await expect(screen(page).displayNameField).toBeVisible();
  expect(await cardColor(page)).toBe(DARK_BG);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
});

test('System follows the OS as it changes; Light holds on a dark OS', async ({ newPerson }) => {
  const { page } = await newPerson('lark', { colorScheme: 'dark' });
  await expect(themeRadio(page, 'System')).toBeChecked();
  expect(await surfaceColor(page)).toBe(DARK_BG);

  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => surfaceColor(page)).toBe(LIGHT_BG);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => surfaceColor(page)).toBe(DARK_BG);

  await themeRadio(page, 'Light').check();
  await expect.poll(() => surfaceColor(page)).toBe(LIGHT_BG);
  await page.reload();
  await expect(themeRadio(page, 'Light')).toBeChecked();
  expect(await surfaceColor(page)).toBe(LIGHT_BG);

  // Back to System: the dark OS decides again, and the choice is forgotten.
  await themeRadio(page, 'System').check();
  await expect.poll(() => surfaceColor(page)).toBe(DARK_BG);
  expect(await page.evaluate(() => localStorage.getItem('flack.theme'))).toBeNull();
});
