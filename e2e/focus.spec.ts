// Where keyboard focus goes: after signing in, after leaving a channel, after a dialog, and how many
// Tabs the members panel's "Message <name>" is away. Focus on <body> makes a keyboard or screen
// reader user start again from the top of the page.
import type { Page } from '@playwright/test';
import { ChatBot } from './support/bot';
import { channelHeading, createChannel, login, logOut, messageButton, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

/** What has focus, as a short description (tag, accessible-ish name) for the failure message. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 40) ?? '';
    return `${element.tagName.toLowerCase()} ${name}`;
  });
}

test('signing in puts focus in the composer of the channel the person lands in', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('back-here');
  await createChannel(alice.page, channel);
  await logOut(alice.page);

  // Signed in again: back in the channel they were in, ready to type.
  await login(alice.page, alice.name);
  await expect(channelHeading(alice.page, channel)).toBeVisible();
  await expect(screen(alice.page).composer).toBeFocused();
});

test('signing in with no channel to land in focuses the welcome page’s first action', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  await expect(alice.page.getByRole('heading', { name: `Welcome, ${alice.name}` })).toBeVisible();
  await expect.poll(() => focused(alice.page)).not.toBe('body');
  await expect(alice.page.locator('app-welcome-page :focus')).toHaveCount(1);
});

test('leaving a channel puts focus on the welcome page, not on <body>', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('short-stay');
  await createChannel(alice.page, channel);
  const ui = screen(alice.page);

  await ui.leaveButton.click();
  await alice.page.getByRole('dialog').getByRole('button', { name: 'Leave', exact: true }).click();

  await expect(channelHeading(alice.page, channel)).toBeHidden();
  await expect.poll(() => focused(alice.page)).not.toBe('body');
  await expect(alice.page.locator('app-welcome-page :focus')).toHaveCount(1);
});

test('cancelling the Leave dialog returns focus to the Leave button', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  await createChannel(alice.page, uniqueChannelName('stay'));
  const ui = screen(alice.page);

  await ui.leaveButton.focus();
  await alice.page.keyboard.press('Enter');
  const dialog = alice.page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(ui.leaveButton).toBeFocused();
});

test('opening the members panel: a member’s Message button is at most 3 Tabs away', async ({
  newPerson,
  baseURL,
}) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('crowd');
  await createChannel(alice.page, channel);
  const bob = await ChatBot.connect(baseURL, uniqueName('bob'));
  await bob.join(channel);
  const toggle = alice.page.getByRole('button', { name: /2 members/ });
  await expect(toggle).toBeVisible();

  await toggle.focus();
  await alice.page.keyboard.press('Enter');
  const members = alice.page.getByRole('region', { name: 'Members' });
  const dm = messageButton(members, bob.user.name);
  await expect(dm).toBeVisible();
  // The panel that opened has focus, so the next Tab is inside it (not on Leave, topic, ...).
  await expect(members).toBeFocused();
  let tabs = 0;
  while (tabs < 3 && !(await dm.evaluate((button) => button === document.activeElement))) {
    await alice.page.keyboard.press('Tab');
    tabs++;
  }
  await expect(dm, `focus after ${tabs} Tabs: ${await focused(alice.page)}`).toBeFocused();

  // Escape closes the panel, with focus back on its toggle.
  await alice.page.keyboard.press('Escape');
  await expect(members).toBeHidden();
  await expect(toggle).toBeFocused();
  bob.close();
});
