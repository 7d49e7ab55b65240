// Browse channels: a server with 300 channels keeps the sidebar to one's own channels and direct
// messages; the rest are found by typing in the Browse channels dialog (channels/browse-channels.ts).
import { ChatBot } from './support/bot';
import {
  browseFor,
  channelHeading,
  channelLink,
  createChannel,
  expectJoined,
  linkInList,
  login,
  messageButton,
  onlineList,
  screen,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';
import { startServer, stopServer, type RunningServer } from './support/server';

test.describe('with 300 channels', () => {
  let server: RunningServer;

  test.beforeEach(async () => {
    // A clean server of its own, where one bot may create 300 channels at once.
    server = await startServer({
      name: 'browse',
      env: {
        NAME_CLAIMS_PER_MINUTE: '1000',
        CHANNEL_CREATES_PER_MINUTE: '1000',
        MAX_CHANNELS_PER_USER: '1000',
      },
    });
  });

  test.afterEach(async () => {
    await stopServer(server);
  });

  test('the direct messages stay on the first screen; Browse finds a channel by typing and joins it', async ({
    newPerson,
    saveScreen,
  }) => {
    const bot = await ChatBot.connect(server.url, uniqueName('bot'));
    try {
      await Promise.all(Array.from({ length: 300 }, (_, index) => bot.createChannel(`release-${index + 1}`)));
      await bot.setTopic('release-42', 'The answer ships on Friday');
      const alice = await newPerson('alice', { signIn: false, baseURL: server.url });
      const { page } = alice;
      await login(page, alice.name);
      await messageButton(onlineList(page), bot.user.name).click();
      await expect(channelHeading(page, bot.user.name)).toBeVisible();
      const directMessages = page.getByRole('heading', { name: 'Direct messages', exact: true });
      await expect(linkInList(page, 'Direct messages', bot.user.name)).toBeVisible();

      // Not one of the 300 in the sidebar, and the direct messages start within the first screen.
      await expect(screen(page).channelNav.getByRole('link', { name: /^release-/ })).toHaveCount(0);
      const top = (await directMessages.boundingBox())?.y ?? Infinity;
      expect(top, 'where Direct messages start').toBeLessThan(page.viewportSize()?.height ?? 0);

      const dialog = await browseFor(page, 'release-42');
      const found = dialog.getByRole('listitem');
      await expect(found).toHaveCount(1);
      await expect(found).toContainText('release-42');
      await expect(found).toContainText('The answer ships on Friday');
      await expect(found).toContainText('1 member');
      await saveScreen(page, 'browse-channels');
      await dialog.getByRole('button', { name: 'Join release-42', exact: true }).click();

      await expect(dialog).toBeHidden();
      await expect(channelHeading(page, 'release-42')).toBeVisible();
      await expectJoined(page, 'release-42');
      await browseFor(page, 'release-42');
      await expect(found).toContainText('2 members');
      await expect(dialog.getByRole('button', { name: 'Open release-42', exact: true })).toBeVisible();
    } finally {
      bot.close();
    }
  });
});

test('Browse channels works from the keyboard: type, arrows, Enter; Escape gives focus back', async ({
  newPerson,
}) => {
  const bob = await newPerson('bob');
  const first = uniqueChannelName('kbd-first');
  const second = `${first}-two`;
  await createChannel(bob.page, first);
  await createChannel(bob.page, second);
  const { page } = await newPerson('alice');

  const browse = page.getByRole('button', { name: 'Browse channels' });
  await browse.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Browse channels' });
  const field = dialog.getByRole('searchbox', { name: 'Find a channel' });
  await expect(field).toBeFocused();
  await page.keyboard.type(first);
  await expect(dialog.getByRole('listitem')).toHaveCount(2);
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('button', { name: `Join ${first}`, exact: true })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('button', { name: `Join ${second}`, exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(browse).toBeFocused();
  await expect(channelLink(page, first)).toHaveCount(0);

  // Enter in the field joins the best match.
  await page.keyboard.press('Enter');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  await page.keyboard.type(second);
  await page.keyboard.press('Enter');
  await expect(channelHeading(page, second)).toBeVisible();
  await expectJoined(page, second);
});

test('sidebar sections fold and unfold, and stay as they were after a reload', async ({ newPerson }) => {
  const { page } = await newPerson('alice');
  const channel = uniqueChannelName('folded');
  await createChannel(page, channel);
  const toggle = screen(page).channelNav.getByRole('button', { name: 'Channels', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(channelLink(page, channel)).toBeHidden();
  await page.reload();
  await expect(screen(page).logOutButton).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(channelLink(page, channel)).toBeHidden();

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(channelLink(page, channel)).toBeVisible();
});
