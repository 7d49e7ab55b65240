// The message text (links, mentions), the message list that holds still, and the keyboard:
// Ctrl/Cmd+K channel switcher and the shortcuts help.
import type { Locator, Page } from '@playwright/test';
import { ChatBot } from './support/bot';
import {
  channelHeading,
  createChannel,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

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

test('links open in a new tab without a handle on Flack; javascript: stays text', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('links');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  // The link's page, served here: the test must not depend on the internet.
  await alice.context.route('https://example.com/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>Example</title><p>example page</p>' }),
  );

  await sendMessage(bob.page, 'docs: https://example.com/docs?page=2. and javascript:alert(1) too');

  const message = messagesWith(alice.page, 'javascript:alert(1)');
  const link = message.getByRole('link');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveText('https://example.com/docs?page=2');
  await expect(link).toHaveAttribute('href', 'https://example.com/docs?page=2');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /\bnoopener\b/);
  await expect(link).toHaveAttribute('rel', /\bnoreferrer\b/);
  await expect(message).toContainText('https://example.com/docs?page=2. and javascript:alert(1) too');
  await saveScreen(alice.page, 'links-light');

  const [tab] = await Promise.all([alice.context.waitForEvent('page'), link.click()]);
  await tab.waitForLoadState();
  expect(tab.url()).toBe('https://example.com/docs?page=2');
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  await expect(channelHeading(alice.page, channel)).toBeVisible();
});

test('a mention of the reader is highlighted for them only', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('mentions');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);

  await sendMessage(bob.page, `@${alice.name.toUpperCase()} hi, can you look at this?`);
  await sendMessage(bob.page, `not a mention: @${alice.name}-the-second`);

  const mention = messagesWith(alice.page, 'hi, can you look').locator('mark');
  await expect(mention).toHaveText(`@${alice.name.toUpperCase()}`);
  const highlight = await mention.evaluate((mark) => getComputedStyle(mark).backgroundColor);
  const page = await messagesWith(alice.page, 'hi, can you look').evaluate(
    (article) => getComputedStyle(article).backgroundColor,
  );
  expect(highlight, 'the mention has a background of its own').not.toBe(page);
  await expect(messagesWith(alice.page, 'the-second').locator('mark')).toHaveCount(0);
  // Bob wrote it and it does not name him: nothing is highlighted for him.
  await expect(messagesWith(bob.page, 'hi, can you look')).toBeVisible();
  await expect(screen(bob.page).messageLog.locator('mark')).toHaveCount(0);

  await saveScreen(alice.page, 'mention-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'mention-dark');
});

test('the view holds still for a reader who scrolled up; "New messages below" takes them down', async ({
  newPerson,
  baseURL,
}) => {
  const channel = uniqueChannelName('scroll');
  // Five senders taking turns stay within the per-user message rate.
  const bots = await Promise.all([1, 2, 3, 4, 5].map(() => ChatBot.connect(baseURL, uniqueName('talker'))));
  try {
    await bots[0].createChannel(channel);
    await Promise.all(bots.slice(1).map((bot) => bot.join(channel)));
    // A full channel: each new message now drops the oldest one from the top of the list.
    for (let n = 1; n <= 100; n++) await bots[n % bots.length].send(channel, `line ${n}`);

    const alice = await newPerson('alice');
    await openChannel(alice.page, channel);
    const { messageLog, messages } = screen(alice.page);
    await expect(messages.last()).toContainText('line 100');
    const below = alice.page.getByRole('button', { name: 'New messages below' });
    await expect(below).toBeHidden();

    await messageLog.evaluate((log) => (log.scrollTop = log.scrollHeight / 2));
    const reading = messagesWith(alice.page, 'line 50').first();
    const before = await reading.boundingBox();
    await bots[1].send(channel, 'line 101');
    await bots[2].send(channel, 'line 102');

    await expect(below).toBeVisible();
    await expect(messages.last()).toContainText('line 102');
    expect(await reading.boundingBox(), 'line 50 stays where the reader had it').toEqual(before);

    await below.click();
    await expect(messages.last()).toBeInViewport();
    await expect(below).toBeHidden();
  } finally {
    for (const bot of bots) bot.close();
  }
});

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
  await expect(options).toHaveText([new RegExp(`${mine}\\s*open`), /design\s*not joined/, /devops/]);
  await saveScreen(alice.page, 'switcher-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'switcher-dark');
  await alice.page.emulateMedia({ colorScheme: 'light' });

  await field.pressSequentially('-de');
  await expect(options).toHaveCount(2);
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
  await expect(options).toHaveCount(3);
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
    'Jump to a channel',
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
