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

test('a long message measured again when the window narrows: Show more appears, and goes when it fits again', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  await alice.page.setViewportSize({ width: 1280, height: 800 });
  await createChannel(alice.page, uniqueChannelName('narrow'));
  const { composer } = screen(alice.page);
  // One paragraph: a dozen lines on a desktop, over thirty on a phone.
  const words = Array.from({ length: 170 }, (_, n) => `word${n + 1}`).join(' ');
  await composer.fill(words);
  await composer.press('Enter');

  const long = messagesWith(alice.page, 'word170');
  await expect(long).toHaveCount(1);
  const more = long.getByRole('button', { name: 'Show more' });
  await expect(more).toHaveCount(0);

  await alice.page.setViewportSize({ width: 390, height: 844 });
  await expect(more).toBeVisible();

  await alice.page.setViewportSize({ width: 1280, height: 800 });
  await expect(more).toHaveCount(0);
});
