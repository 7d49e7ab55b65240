import { AckError, ChatBot } from './support/bot';
import {
  channelHeading,
  browseFor,
  channelLink,
  createChannel,
  escapeRegExp,
  expectJoined,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

test('creating a channel opens it, empty and ready for messages', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('general');

  await createChannel(alice.page, channel);
  await expectJoined(alice.page, channel);

  const ui = screen(alice.page);
  await expect(ui.messageLog).toBeVisible();
  await expect(ui.messages).toHaveCount(0);
  await expect(ui.composer).toBeVisible();
  await expect(ui.newChannelField).toHaveValue('');
  await saveScreen(alice.page, 'channel-new');
});

test('refuses a duplicate channel name, also in another case', async ({ newPerson, baseURL, saveScreen }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('General');
  await createChannel(alice.page, channel);
  // What the server says to anyone who tries the same name; the UI must show that.
  const refusal = await serverRefusal(baseURL, channel.toLowerCase());
  expect(refusal.code).toBe('CHANNEL_EXISTS');

  const sameCase = screen(alice.page);
  await sameCase.newChannelField.fill(channel);
  await sameCase.newChannelField.press('Enter');
  await expect(sameCase.alert).toContainText(refusal.message);

  const otherCase = screen(bob.page);
  await otherCase.newChannelField.fill(channel.toLowerCase());
  await otherCase.newChannelField.press('Enter');
  await expect(otherCase.alert).toContainText(refusal.message);
  await saveScreen(bob.page, 'channel-duplicate');

  // Still one channel, under the name its creator typed, and bob is not in it.
  await expect(channelLink(bob.page, channel)).toHaveCount(0);
  await expect(channelHeading(bob.page, channel.toLowerCase())).toBeHidden();
  const browse = await browseFor(bob.page, channel);
  const anyCase = new RegExp(`^(Join|Open) ${escapeRegExp(channel)}$`, 'i');
  await expect(browse.getByRole('button', { name: anyCase })).toHaveCount(1);
  await expect(browse.getByRole('button', { name: `Join ${channel}`, exact: true })).toBeVisible();
});

test('a new channel appears for someone else without a reload', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('fresh');
  // Survives only if bob's page is never reloaded.
  await bob.page.evaluate(() => ((window as unknown as Record<string, unknown>).notReloaded = true));

  await createChannel(alice.page, channel);

  await expectJoined(bob.page, channel, false);
  const browse = await browseFor(bob.page, channel);
  await expect(browse.getByRole('button', { name: `Join ${channel}`, exact: true })).toBeVisible();
  await browse.getByRole('button', { name: 'Close' }).click();
  expect(await bob.page.evaluate(() => (window as unknown as Record<string, unknown>).notReloaded)).toBe(
    true,
  );
  await openChannel(bob.page, channel);
  await expectJoined(bob.page, channel);
});

test('leaving a channel closes it, and it stays left after a reload', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('leave-me');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await sendMessage(bob.page, 'before alice leaves');

  const ui = screen(alice.page);
  // One tap only asks; Leave in the dialog leaves.
  await ui.leaveButton.click();
  await expect(alice.page.getByRole('dialog', { name: `Leave ${channel}?` })).toBeVisible();
  await expect(channelHeading(alice.page, channel)).toBeVisible();
  await alice.page.getByRole('button', { name: 'Leave', exact: true }).click();

  await expect(channelHeading(alice.page, channel)).toBeHidden();
  await expect(ui.composer).toBeHidden();
  // The channel still exists for everyone; alice can find it again.
  await expectJoined(alice.page, channel, false);
  await saveScreen(alice.page, 'channel-left');

  await alice.page.reload();
  await expect(ui.logOutButton).toBeVisible();
  await expect(channelHeading(alice.page, channel)).toBeHidden();
  await expectJoined(alice.page, channel, false);

  // Opening it again joins again, with the history.
  await openChannel(alice.page, channel);
  await expect(ui.messages.filter({ hasText: 'before alice leaves' })).toHaveCount(1);
});

async function serverRefusal(baseURL: string, channel: string) {
  const bot = await ChatBot.connect(baseURL, uniqueName('probe'));
  try {
    await bot.createChannel(channel);
  } catch (error) {
    if (error instanceof AckError) return error.body;
    throw error;
  } finally {
    bot.close();
  }
  throw new Error(`the server let a second "${channel}" be created`);
}
