// Flack with the keyboard only (page.keyboard, never a click or a tap): sign in, create a channel,
// send, switch channel with Ctrl+K, react, reply, open a direct conversation from the members
// panel, and leave. Each step starts where the last one left focus, as it would for a person.
import type { Locator, Page } from '@playwright/test';
import { ChatBot } from './support/bot';
import { channelHeading, expectSignedIn, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

const commandK = process.platform === 'darwin' ? 'Meta+k' : 'Control+k';

function isFocused(target: Locator): Promise<boolean> {
  return target.evaluate((element) => element === document.activeElement).catch(() => false);
}

/** Presses `key` (Tab or Shift+Tab) until `target` has focus, at most `max` times. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab', max = 25): Promise<number> {
  for (let presses = 0; presses <= max; presses++) {
    if (await isFocused(target)) return presses;
    await page.keyboard.press(key);
  }
  await expect(target, `reached with at most ${max} × ${key}`).toBeFocused({ timeout: 1 });
  return max;
}

/** From the composer: Shift+Tab into the message list, arrows to `message`, then to its `action`. */
async function toMessageAction(page: Page, message: Locator, action: string): Promise<void> {
  const { composer } = screen(page);
  await expect(composer).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  for (let step = 0; step < 10 && !(await isFocused(message)); step++) await page.keyboard.press('ArrowUp');
  await expect(message).toBeFocused();
  const button = message.getByRole('button', { name: action, exact: true });
  for (let step = 0; step < 6 && !(await isFocused(button)); step++) await page.keyboard.press('ArrowRight');
  await expect(button).toBeFocused();
}

/** Ctrl+K, the name, Enter (once the first choice is that channel). */
async function jumpTo(page: Page, channel: string): Promise<void> {
  await page.keyboard.press(commandK);
  const dialog = page.getByRole('dialog', { name: 'Jump to a channel' });
  await expect(dialog.getByRole('combobox', { name: 'Jump to…' })).toBeFocused();
  await page.keyboard.type(channel);
  await expect(dialog.getByRole('option').first()).toContainText(channel);
  await page.keyboard.press('Enter');
  await expect(channelHeading(page, channel)).toBeVisible();
}

async function typeAndEnter(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

test('keyboard only: sign in, create, send, switch, react, reply, DM, leave', async ({
  newPerson,
  baseURL,
}) => {
  test.setTimeout(60_000);
  const bob = await ChatBot.connect(baseURL, uniqueName('bob'));
  const theirs = uniqueChannelName('kb-theirs');
  await bob.createChannel(theirs);
  await bob.send(theirs, 'hello from bob');

  const alice = await newPerson('alice', { signIn: false });
  const { page } = alice;
  const ui = screen(page);
  await page.goto('/');

  // Sign in: the name field has focus from the start.
  await expect(ui.displayNameField).toBeFocused();
  await typeAndEnter(page, alice.name);
  await expectSignedIn(page, alice.name);
  await expect(page.locator('body')).not.toBeFocused();

  // Create a channel from the sidebar's field; it opens with focus in the composer.
  const mine = uniqueChannelName('kb-mine');
  await tabTo(page, ui.newChannelField, 'Shift+Tab');
  await typeAndEnter(page, mine);
  await expect(channelHeading(page, mine)).toBeVisible();
  await expect(ui.composer).toBeFocused();

  // Send.
  await typeAndEnter(page, 'typed, not clicked');
  await expect(messagesWith(page, 'typed, not clicked')).toHaveCount(1);
  await expect(ui.composer).toHaveValue('');

  // Switch with Ctrl+K to bob's channel (joining it).
  await jumpTo(page, theirs);
  await expect(ui.composer).toBeFocused();

  // React to bob's message through its Add reaction picker.
  const hello = messagesWith(page, 'hello from bob');
  await toMessageAction(page, hello, 'Add reaction');
  await page.keyboard.press('Enter');
  const picker = page.getByRole('dialog', { name: 'Add reaction' });
  await expect(picker.getByRole('searchbox', { name: 'Search emoji' })).toBeFocused();
  await page.keyboard.type('party popper');
  // Enter picks the first result, once the emoji data is in and the search has found it.
  await expect(picker.getByRole('button', { name: 'party popper', exact: true })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(picker).toBeHidden();
  await expect(hello.getByRole('button', { name: /🎉/ })).toBeVisible();

  // Reply to it: Reply puts focus in the composer, with the reply bar.
  await tabTo(page, ui.composer, 'Tab', 10);
  await toMessageAction(page, hello, 'Reply');
  await page.keyboard.press('Enter');
  await expect(ui.composer).toBeFocused();
  await typeAndEnter(page, 'a reply, by keyboard');
  const reply = messagesWith(page, 'a reply, by keyboard');
  await expect(reply).toHaveCount(1);
  await expect(reply).toContainText('hello from bob');

  // A direct message to bob from the members panel: toggle, one Tab, Enter.
  const toggle = page.getByRole('button', { name: /^2 members$/ });
  await tabTo(page, toggle, 'Shift+Tab', 10);
  await page.keyboard.press('Enter');
  const dm = page
    .getByRole('region', { name: 'Members' })
    .getByRole('button', { name: `Message ${bob.user.name}` });
  expect(await tabTo(page, dm, 'Tab', 3)).toBeLessThanOrEqual(3);
  await page.keyboard.press('Enter');
  await expect(channelHeading(page, bob.user.name)).toBeVisible();
  await expect(ui.composer).toBeFocused();
  // No members panel in a direct conversation (it has no toggle to close it).
  await expect(page.getByRole('region', { name: 'Members' })).toHaveCount(0);
  await typeAndEnter(page, 'psst, bob');
  await expect(messagesWith(page, 'psst, bob')).toHaveCount(1);

  // Back to the channel made at the start, and leave it: the dialog asks, Tab to Leave, Enter.
  await jumpTo(page, mine);
  await expect(ui.composer).toBeFocused();
  await tabTo(page, ui.leaveButton, 'Shift+Tab', 10);
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: `Leave ${mine}?` });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: 'Leave', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(channelHeading(page, mine)).toBeHidden();
  await expect(page.locator('app-welcome-page :focus')).toHaveCount(1);
  bob.close();
});
