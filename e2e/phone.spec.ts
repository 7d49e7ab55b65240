import type { Page } from '@playwright/test';
import { channelHeading, channelLink, createChannel, login, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

const phone = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

test('works on a 375 px wide phone, with the channel list in a drawer', async ({ newPerson, saveScreen }) => {
  const bob = await newPerson('bob');
  const elsewhere = uniqueChannelName('elsewhere');
  await createChannel(bob.page, elsewhere);

  const alice = await newPerson('alice', { ...phone, signIn: false });
  const { page } = alice;
  const ui = screen(page);
  await page.goto('/');
  await expectNoSidewaysScroll(page);
  await saveScreen(page, 'phone-login');
  await login(page, alice.name);
  await expectNoSidewaysScroll(page);

  // The top bar's menu button ("Browse channels" on the welcome page opens the drawer too).
  const drawerButton = page.getByRole('button', { name: 'Open channel list' });
  await drawerButton.tap();
  await expect(ui.channelNav).toBeVisible();
  // Wholly in view once the drawer has finished sliding in.
  await expect(ui.newChannelField).toBeInViewport({ ratio: 1 });
  await saveScreen(page, 'phone-drawer');

  const channel = uniqueChannelName('pocket');
  await ui.newChannelField.fill(channel);
  await ui.newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeInViewport();
  await expect(ui.channelNav).toBeHidden();
  await expect(ui.composer).toBeInViewport();
  await expect(ui.leaveButton).toBeInViewport();

  await ui.composer.fill('typed on a phone');
  await ui.composer.press('Enter');
  await expect(messagesWith(page, 'typed on a phone')).toBeInViewport();
  await expectNoSidewaysScroll(page);
  await saveScreen(page, 'phone-chat');

  await drawerButton.tap();
  await channelLink(page, elsewhere).tap();
  await expect(channelHeading(page, elsewhere)).toBeInViewport();
  await expect(ui.channelNav).toBeHidden();
  await expect(ui.composer).toBeInViewport();
  await expectNoSidewaysScroll(page);
});

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: 'page wider than the phone',
    })
    .toBeLessThanOrEqual(phone.viewport.width);
}
