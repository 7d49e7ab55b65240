// Unread counts and mentions: the badges per channel, the tab title and the New messages divider,
// kept by the server so that every tab of a person agrees.
import {
  badged,
  channelHeading,
  channelLink,
  createChannel,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

test('unread counts and mentions per channel, the tab title and the New messages divider, in every tab', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const x = uniqueChannelName('x');
  const y = uniqueChannelName('y');
  await createChannel(alice.page, y);
  await sendMessage(alice.page, 'an old message in y');
  await createChannel(alice.page, x);
  await openChannel(bob.page, y);
  await expect(messagesWith(bob.page, 'an old message in y')).toBeVisible();
  await openChannel(bob.page, x);
  await expect(bob.page).toHaveTitle(`#${x} · Flack`);
  // Bob's second tab, back on #x where he was.
  const secondTab = await bob.context.newPage();
  await secondTab.goto('/');
  await expect(channelHeading(secondTab, x)).toBeVisible();

  await openChannel(alice.page, y);
  await sendMessage(alice.page, 'first unread in y');
  await sendMessage(alice.page, `@${bob.name} this one is for you`);

  for (const page of [bob.page, secondTab]) {
    await expect(channelLink(page, y)).toHaveAccessibleName(badged(y, '1 mention', '2 unread'));
    // The badges people see: the mention count, and the unread count.
    await expect(channelLink(page, y).getByText('@1', { exact: true })).toBeVisible();
    await expect(channelLink(page, y).getByText('2', { exact: true })).toBeVisible();
    await expect(channelLink(page, x)).toHaveAccessibleName(x);
    await expect(page).toHaveTitle(`(2) #${x} · Flack`);
  }
  await saveScreen(bob.page, 'unread-badges');

  await openChannel(bob.page, y);
  const divider = screen(bob.page).messageLog.getByRole('separator', { name: 'New messages' });
  await expect(divider).toHaveCount(1);
  await expect(divider.locator('xpath=preceding-sibling::article[1]')).toContainText('an old message in y');
  await expect(divider.locator('xpath=following-sibling::article[1]')).toContainText('first unread in y');
  await expect(channelLink(bob.page, y)).toHaveAccessibleName(y);
  await expect(bob.page).toHaveTitle(`#${y} · Flack`);
  await saveScreen(bob.page, 'new-messages-divider');

  // Read state lives on the server: the other tab agrees at once, and so does a new one.
  await expect(channelLink(secondTab, y)).toHaveAccessibleName(y);
  await expect(secondTab).toHaveTitle(`#${x} · Flack`);
  await secondTab.reload();
  await expect(channelHeading(secondTab, x)).toBeVisible();
  await expect(channelLink(secondTab, y)).toHaveAccessibleName(y);
  await openChannel(secondTab, y);
  await expect(messagesWith(secondTab, 'this one is for you')).toBeVisible();
  await expect(secondTab.getByRole('separator', { name: 'New messages' })).toHaveCount(0);
});
