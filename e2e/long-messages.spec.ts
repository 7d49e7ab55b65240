import { createChannel, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

test('a 30-line message is collapsed with Show more, and Show less folds it again', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  await createChannel(alice.page, uniqueChannelName('long'));
  const { composer } = screen(alice.page);
  const lines = Array.from({ length: 30 }, (_, n) => `line ${n + 1} of a long message`);
  await composer.fill(lines.join('\n'));
  await composer.press('Enter');
  await composer.fill('a short one');
  await composer.press('Enter');

  const long = messagesWith(alice.page, 'line 1 of a long message');
  await expect(long).toHaveCount(1);
  const more = long.getByRole('button', { name: 'Show more' });
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  const text = long.getByText('line 30 of a long message');
  const lineHeight = await text.evaluate((element) => parseFloat(getComputedStyle(element).lineHeight));
  // About 15 of its 30 lines show.
  const collapsed = (await long.boundingBox())!.height;
  expect(collapsed).toBeLessThan(lineHeight * 20);
  expect(collapsed).toBeGreaterThan(lineHeight * 14);

  await saveScreen(alice.page, 'long-message-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'long-message-dark');

  await more.click();
  const less = long.getByRole('button', { name: 'Show less' });
  await expect(less).toHaveAttribute('aria-expanded', 'true');
  await expect(less).toBeFocused();
  expect((await long.boundingBox())!.height).toBeGreaterThan(lineHeight * 30);
  await less.click();
  await expect(long.getByRole('button', { name: 'Show more' })).toBeVisible();
  expect((await long.boundingBox())!.height).toBeLessThan(lineHeight * 20);

  // A short message has no such button.
  await expect(
    messagesWith(alice.page, 'a short one').getByRole('button', { name: /Show (more|less)/ }),
  ).toHaveCount(0);
});
