// Message formatting as the reader sees it: bold, italic, strikethrough, code, code blocks, quotes,
// lists, links and mentions formatted; HTML typed by someone stays text; a code block scrolls
// sideways on a phone instead of widening the page.
import type { Locator, Page } from '@playwright/test';
import { createChannel, expectDelivered, joinChannel, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Computed styles of the element holding exactly `text` in `scope`. */
async function styleOf(scope: Locator, text: string) {
  return scope.getByText(text, { exact: true }).evaluate((element) => {
    const style = getComputedStyle(element);
    return {
      weight: Number(style.fontWeight),
      fontStyle: style.fontStyle,
      decoration: style.textDecorationLine,
      font: style.fontFamily,
    };
  });
}

/** Sends markdown through the composer; the message is found by a piece of its formatted text. */
async function send(page: Page, text: string, shown: string): Promise<void> {
  const { composer } = screen(page);
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(messagesWith(page, shown)).toHaveCount(1);
  await expectDelivered(messagesWith(page, shown));
}

async function openOnPhone(page: Page, channel: string): Promise<void> {
  await page.getByRole('button', { name: 'Open channel list' }).tap();
  await joinChannel(page, channel);
  await expect(screen(page).composer).toBeInViewport();
}

test('formatting shows for the reader; HTML stays text; a code block scrolls on a phone', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob', phone);
  const channel = uniqueChannelName('formatting');
  await createChannel(alice.page, channel);
  await openOnPhone(bob.page, channel);

  const formatted = [
    `**bold words** and *slanted words*, ~~struck words~~ and \`inline code\`, for @${bob.name} to read`,
    '> a quoted line',
    '- first item',
    '- **second** item',
    '',
    'see [the docs](https://example.com/docs) or https://example.com/raw',
  ].join('\n');
  const longLine = `const total = items.reduce((sum, item) => sum + item.price * item.count, 0); // ${'x'.repeat(60)}`;
  await send(alice.page, formatted, 'bold words and slanted words');
  await send(alice.page, '```\n' + longLine + '\nreturn total;\n```', 'return total;');
  await send(alice.page, '<b>x</b> <script>alert(1)</script> <img src=x onerror=alert(2)>', '<b>x</b>');
  await send(alice.page, '# not a heading', '# not a heading');

  const message = messagesWith(bob.page, 'bold words');
  await expect(message).toBeVisible();
  expect((await styleOf(message, 'bold words')).weight).toBeGreaterThanOrEqual(700);
  expect((await styleOf(message, 'slanted words')).fontStyle).toBe('italic');
  expect((await styleOf(message, 'struck words')).decoration).toContain('line-through');
  expect((await styleOf(message, 'inline code')).font).toMatch(/mono/i);
  await expect(message.locator('mark')).toHaveText(`@${bob.name}`);
  await expect(message.getByRole('blockquote')).toHaveText('a quoted line');
  await expect(message.getByRole('listitem')).toHaveText(['first item', 'second item']);
  await expect(message.getByRole('link')).toHaveText(['the docs', 'https://example.com/raw']);
  await expect(message.getByRole('link', { name: 'the docs' })).toHaveAttribute(
    'href',
    'https://example.com/docs',
  );
  await expect(message).not.toContainText('**');

  const html = messagesWith(bob.page, '<b>x</b>');
  await expect(html).toContainText('<b>x</b> <script>alert(1)</script> <img src=x onerror=alert(2)>');
  await expect(html.locator('b, script, img')).toHaveCount(0);
  await expect(messagesWith(bob.page, '# not a heading')).toBeVisible();
  await expect(bob.page.getByRole('heading', { name: 'not a heading' })).toHaveCount(0);

  // The code block keeps its long line and scrolls it, inside a page that does not scroll sideways.
  const code = messagesWith(bob.page, 'return total;').locator('pre');
  await expect(code).toContainText(longLine);
  const box = await code.evaluate((pre) => ({
    wraps: getComputedStyle(pre).whiteSpace !== 'pre',
    overflow: pre.scrollWidth - pre.clientWidth,
    right: pre.getBoundingClientRect().right,
  }));
  expect(box.wraps).toBe(false);
  expect(box.overflow).toBeGreaterThan(0);
  expect(box.right).toBeLessThanOrEqual(phone.viewport.width);
  expect(await bob.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    phone.viewport.width,
  );
  await code.evaluate((pre) => pre.scrollBy({ left: 200 }));
  await expect.poll(() => code.evaluate((pre) => pre.scrollLeft)).toBeGreaterThan(0);
  await code.evaluate((pre) => pre.scrollTo({ left: 0 }));

  await messagesWith(bob.page, 'bold words').scrollIntoViewIfNeeded();
  await saveScreen(bob.page, 'formatting-phone-light');
  await bob.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(bob.page, 'formatting-phone-dark');
  await messagesWith(alice.page, 'bold words').scrollIntoViewIfNeeded();
  await saveScreen(alice.page, 'formatting-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'formatting-dark');
});
