// Hebrew in the places the chat header, the welcome page and the sign-in field show a person's text:
// each reads right to left (dir="auto" or <bdi>), inside an app laid out left to right.
import type { Locator } from '@playwright/test';
import { ChatBot } from './support/bot';
import { channelHeading, createChannel, expectSignedIn, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { randomSuffix } from './support/names';

function direction(element: Locator): Promise<string> {
  return element.evaluate((node) => getComputedStyle(node).direction);
}

test('a Hebrew name, channel name and topic read right to left', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const name = `דנה ${randomSuffix()}`;
  const alice = await newPerson('dana', { signIn: false });
  const { page } = alice;
  await page.goto('/');
  const field = screen(page).displayNameField;
  await field.fill(name);
  expect(await direction(field), 'the display-name field').toBe('rtl');
  await field.press('Enter');
  await expectSignedIn(page, name);

  const welcome = page.getByRole('heading', { name: `Welcome, ${name}` });
  await expect(welcome).toBeVisible();
  expect(await direction(welcome.locator('bdi')), 'the name on the welcome page').toBe('rtl');

  const channel = `שיחה-${randomSuffix()}`;
  await createChannel(page, channel);
  const topic = 'על מה מדברים היום?';
  const bot = await ChatBot.connect(baseURL, `topic-${randomSuffix()}`);
  await bot.join(channel);
  await bot.setTopic(channel, topic);

  const title = channelHeading(page, channel);
  expect(await direction(title.locator('bdi')), 'the channel title').toBe('rtl');
  const note = page.getByRole('note', { name: 'Topic' });
  await expect(note).toHaveText(topic);
  expect(await direction(note), 'the topic').toBe('rtl');
  // The question mark ends the sentence on its left, where Hebrew ends.
  const [first, last] = await note.evaluate((node) => {
    const range = document.createRange();
    const text = node.firstChild!;
    range.setStart(text, 0);
    range.setEnd(text, 1);
    const start = range.getBoundingClientRect().x;
    range.setStart(text, text.textContent!.length - 1);
    range.setEnd(text, text.textContent!.length);
    return [start, range.getBoundingClientRect().x];
  });
  expect(last, 'the "?" is left of the first letter').toBeLessThan(first);
  await saveScreen(page, 'header-rtl');
  bot.close();
});
