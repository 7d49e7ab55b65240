// Locators and steps for the Flack UI, written against roles and accessible names only (the UI
// contract the app is built to): no CSS classes, no test ids.
import { expect, type Locator, type Page } from '@playwright/test';

/** The parts of the screen every spec talks about. */
export function screen(page: Page) {
  const messageLog = page.getByRole('log');
  return {
    displayNameField: page.getByRole('textbox', { name: 'Display name' }),
    continueButton: page.getByRole('button', { name: 'Continue' }),
    logOutButton: page.getByRole('button', { name: 'Log out' }),
    channelNav: page.getByRole('navigation', { name: 'Channels' }),
    newChannelField: page.getByRole('textbox', { name: 'New channel' }),
    messageLog,
    messages: messageLog.getByRole('article'),
    // A textbox that offers @people, #channels and :emoji: as you type (chat/composer.ts).
    composer: page.getByRole('textbox', { name: 'Message', exact: true }),
    leaveButton: page.getByRole('button', { name: 'Leave channel' }),
    alert: page.getByRole('alert'),
    status: page.getByRole('status'),
  };
}

/** A channel's link in the channel list; its accessible name starts with the channel name. */
export function channelLink(page: Page, channel: string): Locator {
  return linkIn(screen(page).channelNav, channel);
}

/**
 * The sidebar lists the joined channels (a list named "Channels"); the others are only in the
 * Browse channels dialog.
 */
export async function expectJoined(page: Page, channel: string, joined = true): Promise<void> {
  const { channelNav } = screen(page);
  const list = channelNav.getByRole('list', { name: 'Channels', exact: true });
  if (joined) await expect(linkIn(list, channel)).toBeVisible();
  else await expect(linkIn(channelNav, channel)).toHaveCount(0);
}

/** Opens Browse channels from the sidebar (its drawer on a phone, if open) and finds `channel`. */
export async function browseFor(page: Page, channel: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Browse channels' }).click();
  const dialog = page.getByRole('dialog', { name: 'Browse channels' });
  await dialog.getByRole('searchbox', { name: 'Find a channel' }).fill(channel);
  return dialog;
}

/** Joins a channel one is not in, through Browse channels; ends with it open. */
export async function joinChannel(page: Page, channel: string): Promise<void> {
  const dialog = await browseFor(page, channel);
  await dialog.getByRole('button', { name: `Join ${channel}`, exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(channelHeading(page, channel)).toBeVisible();
}

function linkIn(scope: Locator, channel: string): Locator {
  return scope.getByRole('link', { name: new RegExp(`^${escapeRegExp(channel)}`) });
}

/** A link in one of the sidebar's lists ("Channels", "Direct messages"…), by its name's start. */
export function linkInList(page: Page, list: string, name: string): Locator {
  return linkIn(screen(page).channelNav.getByRole('list', { name: list, exact: true }), name);
}

/**
 * A channel link's accessible name with its badges, e.g. `badged(y, '1 mention', '2 unread')`
 * for "y, 1 mention, 2 unread" (Chromium puts a space between the name and each badge's text).
 */
export function badged(name: string, ...badges: string[]): RegExp {
  return new RegExp(`^${escapeRegExp(name)}${badges.map((badge) => `\\s*, ${badge}`).join('')}$`);
}

/** The sidebar's list of everyone online. */
export function onlineList(page: Page): Locator {
  return screen(page).channelNav.getByRole('list', { name: 'Online', exact: true });
}

/** The button that opens a direct conversation with `name`, in a people list. */
export function messageButton(scope: Locator, name: string): Locator {
  return scope.getByRole('button', { name: `Message ${name}`, exact: true });
}

export function channelHeading(page: Page, channel: string): Locator {
  return page.getByRole('heading', { name: channel, exact: true });
}

/** The messages in the open channel whose text contains `text`. */
export function messagesWith(page: Page, text: string): Locator {
  return screen(page).messages.filter({ hasText: text });
}

/** Opens the app and signs in; ends when the signed-in screen shows the name. */
export async function login(page: Page, name: string): Promise<void> {
  const { displayNameField } = screen(page);
  if (page.url() === 'about:blank') await page.goto('/');
  await displayNameField.fill(name);
  await displayNameField.press('Enter');
  await expectSignedIn(page, name);
}

/** Signed in, and online: the channel list came with the server's snapshot (it may be in a closed drawer). */
export async function expectSignedIn(page: Page, name: string): Promise<void> {
  const { displayNameField, logOutButton } = screen(page);
  await expect(logOutButton).toBeVisible();
  await expect(page.getByText(name, { exact: true }).first()).toBeVisible();
  await expect(displayNameField).toBeHidden();
  await expect(
    page.getByRole('heading', { name: 'Channels', exact: true, includeHidden: true }),
  ).toBeAttached();
}

export async function logOut(page: Page): Promise<void> {
  const { displayNameField, logOutButton } = screen(page);
  await logOutButton.click();
  await expect(displayNameField).toBeVisible();
  await expect(logOutButton).toBeHidden();
}

/** Creates a channel through the New channel field; the app opens it. */
export async function createChannel(page: Page, channel: string): Promise<void> {
  const { newChannelField } = screen(page);
  await newChannelField.fill(channel);
  await newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeVisible();
  await expect(channelLink(page, channel)).toBeVisible();
}

/** Opens a channel from the sidebar, or joins it through Browse channels when it is not there. */
export async function openChannel(page: Page, channel: string): Promise<void> {
  const link = channelLink(page, channel);
  // Listed once the snapshot is in; a channel one has not joined is only in Browse channels.
  await expect(
    page.getByRole('heading', { name: 'Channels', exact: true, includeHidden: true }),
  ).toBeAttached();
  if ((await link.count()) > 0) await link.click();
  else await joinChannel(page, channel);
  await expect(channelHeading(page, channel)).toBeVisible();
  await expect(screen(page).composer).toBeVisible();
}

/** Leave channel, then Leave in the dialog that asks first; ends when the channel is closed. */
export async function leaveChannel(page: Page, channel: string): Promise<void> {
  await screen(page).leaveButton.click();
  await page
    .getByRole('dialog', { name: /^Leave / })
    .getByRole('button', { name: 'Leave', exact: true })
    .click();
  await expect(channelHeading(page, channel)).toBeHidden();
}

/** Sends through the composer and waits until the message is in the log. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const { composer } = screen(page);
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(messagesWith(page, text)).toHaveCount(1);
  await expectDelivered(messagesWith(page, text));
}

/** The message is stored: no longer marked as on its way or failed. */
export async function expectDelivered(message: Locator): Promise<void> {
  await expect(message).not.toContainText(/Sending…|Waiting for connection…|Not sent/);
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A message shows its author, its text, and a machine-readable time close to now. */
export async function expectMessage(
  message: Locator,
  expected: { author: string; text: string },
): Promise<void> {
  await expect(message).toBeVisible();
  await expect(message).toContainText(expected.author);
  await expect(message).toContainText(expected.text);
  const time = message.locator('time');
  await expect(time).toHaveCount(1);
  await expect(time).toHaveAttribute('datetime', ISO_8601);
  await expect(time).not.toHaveText('');
  const sentAt = Date.parse((await time.getAttribute('datetime')) ?? '');
  expect(Math.abs(Date.now() - sentAt), 'message time is the time it was sent').toBeLessThan(10 * 60_000);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
