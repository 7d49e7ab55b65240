// The keyboard: Ctrl/Cmd+K channel switcher, the shortcuts help, Alt+Shift+Up/Down to the
// previous/next unread channel, and Escape to mark the open channel read.
import type { Locator, Page } from '@playwright/test';
import { ChatBot } from './support/bot';
import {
  badged,
  channelHeading,
  channelLink,
  createChannel,
  linkInList,
  messageButton,
  messagesWith,
  onlineList,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';
import { setTabHidden } from './support/tab-visibility';

function switcher(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Jump to a channel' });
  return {
    dialog,
    field: dialog.getByRole('combobox', { name: 'Jump to…' }),
    options: dialog.getByRole('option'),
  };
}

function help(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Keyboard shortcuts' });
}

/** The shortcut for the switcher as this machine's keyboard has it. */
const commandK = process.platform === 'darwin' ? 'Meta+k' : 'Control+k';

test('Ctrl/Cmd+K opens a channel switcher: type to filter, arrows to choose, Enter to open', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const prefix = uniqueName('switch').slice(-6);
  const mine = `${prefix}-mine`;
  const design = `${prefix}-design`;
  const dev = `${prefix}-devops`;
  await createChannel(alice.page, mine);
  const bot = await ChatBot.connect(baseURL, uniqueName('maker'));
  try {
    await bot.createChannel(design);
    await bot.createChannel(dev);
  } finally {
    bot.close();
  }
  const { dialog, field, options } = switcher(alice.page);

  // From the message field, where Ctrl+K would otherwise be the browser's.
  await screen(alice.page).composer.focus();
  await alice.page.keyboard.press(commandK);
  await expect(dialog).toBeVisible();
  await expect(field).toBeFocused();

  await field.pressSequentially(prefix);
  // Grouped: your channels, then those to join; searching the messages for it comes last.
  await expect(options).toHaveText([
    new RegExp(`${mine}\\s*open`),
    /design\s*not joined/,
    /devops/,
    `Search messages for “${prefix}”`,
  ]);
  await saveScreen(alice.page, 'switcher-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'switcher-dark');
  await alice.page.emulateMedia({ colorScheme: 'light' });

  await field.pressSequentially('-de');
  await expect(options).toHaveCount(3);
  await alice.page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await alice.page.keyboard.press('Enter');

  await expect(dialog).toBeHidden();
  await expect(channelHeading(alice.page, dev)).toBeVisible();
  expect(new URL(alice.page.url()).pathname).toMatch(/^\/c\//);

  // Escape closes it and puts focus back where it was.
  await screen(alice.page).composer.focus();
  await alice.page.keyboard.press(commandK);
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('');
  await alice.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(screen(alice.page).composer).toBeFocused();

  // A phone with a keyboard: the panel fits the screen.
  await alice.page.setViewportSize({ width: 375, height: 700 });
  await alice.page.keyboard.press(commandK);
  await field.pressSequentially(prefix);
  await expect(options).toHaveCount(4);
  expect((await dialog.boundingBox())?.width).toBeLessThanOrEqual(375);
  await saveScreen(alice.page, 'switcher-phone');
});

test('the shortcuts help lists the shortcuts and closes with Escape', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  await createChannel(alice.page, uniqueChannelName('help'));
  const dialog = help(alice.page);
  const openButton = alice.page.getByRole('button', { name: 'Keyboard shortcuts' });

  await openButton.click();
  await expect(dialog).toBeVisible();
  for (const does of [
    'Jump to a channel or person',
    'Search messages',
    'Previous unread channel',
    'Next unread channel',
    'Mark the current channel read',
    'Edit your last message',
    'Send',
    'New line',
    'Show these shortcuts',
  ]) {
    await expect(dialog.getByRole('definition').filter({ hasText: does })).toHaveCount(1);
  }
  await expect(dialog.getByRole('term').first()).toHaveText(/^(Ctrl|Cmd)\s*\+\s*K$/);
  await saveScreen(alice.page, 'help-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'help-dark');
  await alice.page.emulateMedia({ colorScheme: 'light' });

  await alice.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(openButton).toBeFocused();

  // `?` opens it when not typing; in the message field it is just a question mark.
  await alice.page.keyboard.press('?');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  const { composer } = screen(alice.page);
  await composer.focus();
  await alice.page.keyboard.press('?');
  await expect(composer).toHaveValue('?');
  await expect(dialog).toBeHidden();
  await alice.page.keyboard.press(process.platform === 'darwin' ? 'Meta+/' : 'Control+/');
  await expect(dialog).toBeVisible();
});

test('Alt+Shift+Down / Up go to the next / previous channel with unread messages, DMs included', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  // One prefix, so the three sort a, b, c in Bob's list (his only channels).
  const prefix = uniqueName('keys').slice(-6);
  const [a, b, c] = ['a', 'b', 'c'].map((letter) => `${prefix}-${letter}`);
  for (const channel of [a, b, c]) {
    await createChannel(alice.page, channel);
    await openChannel(bob.page, channel);
  }
  await sendMessage(bob.page, 'bob was here');
  await openChannel(bob.page, a);

  await openChannel(alice.page, b);
  await sendMessage(alice.page, 'news in b');
  await openChannel(alice.page, c);
  await sendMessage(alice.page, 'news in c');
  await expect(channelLink(bob.page, b)).toHaveAccessibleName(badged(b, '1 unread'));
  await expect(channelLink(bob.page, c)).toHaveAccessibleName(badged(c, '1 unread'));

  // From the message field, where plain Arrow Up would edit Bob's last message.
  const { composer } = screen(bob.page);
  await expect(composer).toBeFocused();
  await bob.page.keyboard.press('Alt+Shift+ArrowDown');
  await expect(channelHeading(bob.page, b)).toBeVisible();
  await expect(channelLink(bob.page, b)).toHaveAccessibleName(b);
  await bob.page.keyboard.press('Alt+Shift+ArrowDown');
  await expect(channelHeading(bob.page, c)).toBeVisible();
  await expect(channelLink(bob.page, c)).toHaveAccessibleName(c);

  // Alice writes in #a and to Bob directly; from #c, Up skips the read #b and finds #a; Up again
  // wraps round to the direct messages, listed after the channels.
  await openChannel(alice.page, a);
  await sendMessage(alice.page, 'news in a');
  await messageButton(onlineList(alice.page), bob.name).click();
  await expect(channelHeading(alice.page, bob.name)).toBeVisible();
  await sendMessage(alice.page, 'a word in private');
  await expect(channelLink(bob.page, a)).toHaveAccessibleName(badged(a, '1 unread'));
  const dm = linkInList(bob.page, 'Direct messages', alice.name);
  await expect(dm).toHaveAccessibleName(badged(alice.name, '1 unread'));

  await expect(composer).toBeFocused();
  await bob.page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(channelHeading(bob.page, a)).toBeVisible();
  await expect(bob.page.getByText('Editing your message')).toHaveCount(0);
  await bob.page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expect(messagesWith(bob.page, 'a word in private')).toBeVisible();
  await expect(dm).toHaveAccessibleName(alice.name);
  await expect(bob.page).toHaveTitle(/^[^(]/);

  // Nothing unread left: the keys stay put, and do not edit Bob's last message either.
  await sendMessage(bob.page, 'thanks');
  await bob.page.keyboard.press('Alt+Shift+ArrowDown');
  await bob.page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expect(bob.page.getByText('Editing your message')).toHaveCount(0);
  await expect(composer).toHaveValue('');
  expect(decodeURIComponent(new URL(bob.page.url()).pathname)).toMatch(/^\/c\/dm:/);
});

test('Escape marks the open channel read, for every tab of that person', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const x = uniqueChannelName('esc-x');
  const y = uniqueChannelName('esc-y');
  await createChannel(alice.page, x);
  await createChannel(alice.page, y);
  await openChannel(bob.page, y);
  await openChannel(bob.page, x);
  const secondTab = await bob.context.newPage();
  await secondTab.goto('/');
  await expect(channelHeading(secondTab, x)).toBeVisible();
  await openChannel(secondTab, y);

  // Bob's first tab, open on #x, is in the background while Alice writes there: unread.
  await setTabHidden(bob.page, true);
  await openChannel(alice.page, x);
  await sendMessage(alice.page, 'while you were away');
  await sendMessage(alice.page, 'and one more');
  await expect(messagesWith(bob.page, 'and one more')).toBeVisible();
  for (const page of [bob.page, secondTab]) {
    await expect(channelLink(page, x)).toHaveAccessibleName(badged(x, '2 unread'));
  }
  await expect(bob.page).toHaveTitle(`(2) #${x} · Flack`);

  await bob.page.keyboard.press('Escape');
  await expect(channelLink(bob.page, x)).toHaveAccessibleName(x);
  await expect(bob.page).toHaveTitle(`#${x} · Flack`);
  await expect(channelLink(secondTab, x)).toHaveAccessibleName(x);
  await expect(secondTab).toHaveTitle(`#${y} · Flack`);
});
