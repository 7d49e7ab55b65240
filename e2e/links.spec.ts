// What a message's text becomes on screen: links that open safely in a new tab, and a mention of
// the reader highlighted for them only.
import {
  channelHeading,
  createChannel,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

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
