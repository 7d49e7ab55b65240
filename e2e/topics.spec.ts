// Channel topics as two people see them: one sets the topic in the header, the other sees it at once.
import type { Page } from '@playwright/test';
import { LIMITS } from '@flack/contract';
import { channelHeading, createChannel, openChannel, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

function topicOf(page: Page) {
  return page.getByRole('note', { name: 'Topic' });
}

async function setTopic(page: Page, topic: string): Promise<void> {
  await page.getByRole('button', { name: 'Edit topic' }).click();
  const field = page.getByRole('textbox', { name: 'Topic' });
  await expect(field).toBeFocused();
  await field.fill(topic);
  await field.press('Enter');
  await expect(field).toBeHidden();
}

test('a topic set by one member shows at once in the other’s header, as text', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('plans');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await expect(topicOf(bob.page)).toHaveCount(0);

  const topic = 'Release on Thursday <b>not bold</b> · שלום';
  await setTopic(alice.page, topic);

  await expect(topicOf(alice.page)).toHaveText(topic);
  await expect(topicOf(bob.page)).toHaveText(topic);
  await expect(topicOf(bob.page)).toHaveAttribute('dir', 'auto');
  await expect(bob.page.locator('b', { hasText: 'not bold' })).toHaveCount(0);
  await saveScreen(bob.page, 'topic-header');

  // Bob clears it: gone for both.
  await setTopic(bob.page, '');
  await expect(topicOf(bob.page)).toHaveCount(0);
  await expect(topicOf(alice.page)).toHaveCount(0);
  await expect(channelHeading(alice.page, channel)).toBeVisible();
});

test('Escape cancels the edit, and a topic too long is refused in words', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  await createChannel(alice.page, uniqueChannelName('limits'));
  await setTopic(alice.page, 'Kept as it was');

  await alice.page.getByRole('button', { name: 'Edit topic' }).click();
  const field = alice.page.getByRole('textbox', { name: 'Topic' });
  await field.fill('Never saved');
  await field.press('Escape');
  await expect(field).toBeHidden();
  await expect(topicOf(alice.page)).toHaveText('Kept as it was');
  await expect(alice.page.getByRole('button', { name: 'Edit topic' })).toBeFocused();

  await alice.page.getByRole('button', { name: 'Edit topic' }).click();
  await field.fill('x'.repeat(LIMITS.topicMaxLength + 1));
  await expect(alice.page.getByText('A topic can be at most 250 characters.')).toBeVisible();
  await field.press('Enter');
  await expect(field).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(screen(alice.page).composer).toBeVisible();
});

test('on a phone the topic takes one line below the name; focus shows the whole of it', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice', { viewport: { width: 390, height: 844 } });
  const { page } = alice;
  await page.getByRole('button', { name: 'Open channel list' }).click();
  const ui = screen(page);
  const channel = uniqueChannelName('long');
  await ui.newChannelField.fill(channel);
  await ui.newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeInViewport();
  const topic = 'A long topic that cannot fit on one line of a phone header, so it ends in an ellipsis';
  await setTopic(page, topic);

  const line = topicOf(page);
  await expect(line).toBeInViewport();
  const [scrollWidth, clientWidth] = await line.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(scrollWidth, 'cut to one line').toBeGreaterThan(clientWidth);
  const whole = page.getByText(topic, { exact: true }).and(page.locator('[aria-hidden="true"]'));
  await page.mouse.move(5, 800);
  await expect(whole).toBeHidden();
  await line.focus();
  await expect(whole).toBeVisible();
  await expect(ui.leaveButton).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await saveScreen(page, 'topic-phone');
});
