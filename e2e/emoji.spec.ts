// The emoji picker in the composer: opens on the emoji button (its data loaded then, from our own
// server), searchable, by category, keyboard usable, skin tone and recently used remembered.
import { createChannel, messagesWith, openChannel, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

test('the picker: search, keyboard, skin tone, recently used, insert at the caret', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('emoji');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  const page = alice.page;
  const { composer } = screen(page);
  const emojiButton = page.getByRole('button', { name: 'Emoji', exact: true });
  const picker = page.getByRole('dialog', { name: 'Insert an emoji' });
  const search = picker.getByRole('searchbox', { name: 'Search emoji' });
  // The data is a chunk of the app, fetched only now and only from the app's own origin.
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));

  await composer.fill('good  morning');
  await composer.evaluate((field: HTMLTextAreaElement) => field.setSelectionRange(5, 5));
  await emojiButton.click();
  await expect(search).toBeFocused();
  await expect(picker.getByRole('button', { name: 'grinning face', exact: true })).toBeVisible();
  await saveScreen(page, 'emoji-picker');
  expect(requests.filter((url) => !url.startsWith(new URL(page.url()).origin))).toEqual([]);

  // Search, then the grid by keyboard: Arrow Down into it, Arrow Right, Enter picks.
  await search.fill('sun');
  const results = picker.getByRole('group', { name: /Results for/ }).getByRole('button');
  await expect(results.first()).toBeVisible();
  await search.press('ArrowDown');
  await expect(results.nth(0)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(results.nth(1)).toBeFocused();
  const chosen = (await results.nth(1).textContent())!.trim();
  await page.keyboard.press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(composer).toHaveValue(`good ${chosen} morning`);
  await expect(composer).toBeFocused();

  // A skin tone, remembered; Escape closes and gives focus back to the button.
  await emojiButton.click();
  await picker.getByRole('button', { name: 'Medium-dark skin tone' }).click();
  await search.fill('thumbs up');
  await picker.getByRole('button', { name: 'thumbs up', exact: true }).click();
  await expect(composer).toHaveValue(`good ${chosen}👍🏾 morning`);
  await emojiButton.click();
  // Escape once the picker is there (it has focus): pressed earlier, it is not the picker's yet.
  await expect(search).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(picker).toHaveCount(0);
  await expect(emojiButton).toBeFocused();

  await page.reload();
  await emojiButton.click();
  await expect(picker.getByRole('button', { name: 'Medium-dark skin tone' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // Recently used comes first, most recent first, in the chosen tone.
  await expect(picker.getByRole('button', { name: 'Recently used' })).toHaveAttribute('aria-pressed', 'true');
  const recent = picker.getByRole('group', { name: 'Recently used' }).getByRole('button');
  await expect(recent.first()).toHaveAccessibleName('thumbs up');
  await expect(recent.first()).toHaveText('👍🏾');
  // A category by its tab; a click outside closes.
  await picker.getByRole('button', { name: 'Food & drink' }).click();
  await expect(picker.getByRole('button', { name: 'hamburger', exact: true })).toBeVisible();
  await page.getByRole('heading', { name: channel }).click();
  await expect(picker).toHaveCount(0);

  await composer.fill('picked 🎉');
  await composer.press('Enter');
  await expect(messagesWith(bob.page, 'picked 🎉')).toHaveCount(1);
});
