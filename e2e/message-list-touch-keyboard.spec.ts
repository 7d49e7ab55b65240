import type { Locator } from '@playwright/test';
import { ChatBot } from './support/bot';
import { channelHeading, createChannel, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Every visible button under `scope` that is smaller than 44x44 px, with its size. */
async function smallButtons(scope: Locator): Promise<string[]> {
  return scope.evaluateAll((roots) =>
    roots.flatMap((root) =>
      [...root.querySelectorAll<HTMLElement>('button')]
        .filter((button) => button.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
        .map((button) => ({ button, box: button.getBoundingClientRect() }))
        .filter(({ box }) => box.width < 44 || box.height < 44)
        .map(
          ({ button, box }) =>
            `${button.textContent?.trim() || button.getAttribute('aria-label')}: ${Math.round(box.width)}x${Math.round(box.height)}`,
        ),
    ),
  );
}

test('on a phone every control of the messages and the composer is at least 44x44 px', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const alice = await newPerson('alice', phone);
  const { page } = alice;
  const channel = uniqueChannelName('taps');
  // On a phone the channel list is in the drawer.
  await page.getByRole('button', { name: 'Open channel list' }).tap();
  await screen(page).newChannelField.fill(channel);
  await screen(page).newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeVisible();
  const bob = await ChatBot.connect(baseURL, uniqueName('bob'));
  try {
    await bob.join(channel);
    const question = await bob.send(channel, 'a question for you');
    await bob.react(channel, question.id, '👍');
    await bob.send(channel, Array.from({ length: 30 }, (_, n) => `long ${n + 1}`).join('\n'));
    const { composer, messageLog } = screen(page);
    await composer.fill('my own message');
    await composer.press('Enter');
    const own = messagesWith(page, 'my own message');
    await expect(own).toHaveCount(1);
    await expect(
      messagesWith(page, 'a question for you').getByRole('button', { name: /👍 1/ }),
    ).toBeVisible();

    // Without hover: a tap on a message shows its actions.
    await own.getByText('my own message').tap();
    await expect(own.getByRole('button', { name: 'Edit' })).toBeVisible();
    await expect(own.getByRole('button', { name: 'Delete' })).toBeVisible();
    await expect(messagesWith(page, 'long 1').getByRole('button', { name: 'Show more' })).toBeVisible();
    await saveScreen(page, 'phone-message-actions');
    const form = page.locator('form', { has: composer });
    expect(await smallButtons(messageLog)).toEqual([]);
    expect(await smallButtons(form)).toEqual([]);

    await messagesWith(page, 'a question for you').getByText('a question for you').tap();
    await expect(
      messagesWith(page, 'a question for you').getByRole('button', { name: 'Reply' }),
    ).toBeVisible();
    expect(await smallButtons(messageLog)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreen(page, 'phone-message-actions-dark');
  } finally {
    bob.close();
  }
});

test('the message list is one tab stop: arrows move between messages, Tab goes on to the composer', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  const { page } = alice;
  const channel = uniqueChannelName('tabs');
  await createChannel(page, channel);
  const { composer, messages } = screen(page);
  for (let n = 1; n <= 20; n++) {
    await composer.fill(`tab message ${n}`);
    await composer.press('Enter');
  }
  await expect(messages).toHaveCount(20);
  // Twenty at once run into the flood limit, which holds some back for a moment; a message that
  // is not sent yet has no actions to arrow into.
  await expect(page.locator('article.pending')).toHaveCount(0, { timeout: 15_000 });

  // From the list (Shift+Tab from the composer lands on it), one Tab reaches the composer.
  await composer.focus();
  await page.keyboard.press('Shift+Tab');
  const focused = page.locator('article:focus');
  await expect(focused).toContainText('tab message 20');
  await page.keyboard.press('Tab');
  await expect(composer).toBeFocused();

  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowUp');
  await expect(focused).toContainText('tab message 19');
  await page.keyboard.press('Home');
  await expect(focused).toContainText('tab message 1');
  await expect(focused).not.toContainText('tab message 10');
  await page.keyboard.press('End');
  await expect(focused).toContainText('tab message 20');
  await page.keyboard.press('ArrowUp');
  // The focused message's actions: the right arrow goes in.
  await page.keyboard.press('ArrowRight');
  await expect(
    messagesWith(page, 'tab message 19').getByRole('button', { name: 'Add reaction' }),
  ).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(messagesWith(page, 'tab message 19').getByRole('button', { name: 'Reply' })).toBeFocused();
  // Inside a message, Tab moves among its actions; Escape goes back to the message.
  await page.keyboard.press('Tab');
  await expect(messagesWith(page, 'tab message 19').getByRole('button', { name: 'Edit' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(focused).toContainText('tab message 19');
  await page.keyboard.press('Tab');
  await expect(composer).toBeFocused();
  // Back into the list: the message last focused.
  await page.keyboard.press('Shift+Tab');
  await expect(focused).toContainText('tab message 19');
  // And one Shift+Tab leaves it, to what comes before it (the channel's header).
  await page.keyboard.press('Shift+Tab');
  await expect(screen(page).messageLog.locator(':focus')).toHaveCount(0);
  await expect(page.locator('body')).not.toBeFocused();
});
