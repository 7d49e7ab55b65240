// Replies: answering a particular message shows a quote of it, which jumps to the original while it
// is in the history and says so once it was deleted.
import type { Locator, Page } from '@playwright/test';
import type { SentMessage } from '@flack/contract';
import { ChatBot } from './support/bot';
import { createChannel, expectDelivered, login, openChannel, screen, sendMessage } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';
import { networkSwitch } from './support/network';

/** A message by its own text (a reply's article also holds the quote of what it answers). */
function messageSaying(page: Page, text: string): Locator {
  return screen(page).messages.filter({ has: page.getByText(text, { exact: true }) });
}

/** A message that is not a reply, by its text: not the replies that quote it. */
function originalSaying(page: Page, text: string): Locator {
  return messageSaying(page, text).filter({ hasNot: page.getByRole('button', { name: /^In reply to / }) });
}

/** The quote above a reply: a button to the original, or a note saying it is gone. */
function quoteIn(reply: Locator): Locator {
  return reply.getByRole('button', { name: /^In reply to / });
}

test('a reply quotes what it answers, jumps to it, and says so once it was deleted; ?message= opens at one', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('replies');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await sendMessage(alice.page, 'the meeting is at 3');
  // Enough talk after it that the original scrolls out of sight.
  const carol = await ChatBot.connect(baseURL, uniqueName('carol'));
  const talk: SentMessage[] = [];
  try {
    await carol.join(channel.toLowerCase());
    for (let i = 1; i <= 10; i++) {
      talk.push(
        await carol.send(channel.toLowerCase(), `small talk number ${i}\nwith a second line\nand a third`),
      );
    }
  } finally {
    carol.close();
  }
  await expect(bob.page.getByText('small talk number 10')).toBeVisible();

  // Bob answers Alice's message from its Reply action.
  const original = originalSaying(bob.page, 'the meeting is at 3');
  await original.scrollIntoViewIfNeeded();
  await original.hover();
  await original.getByRole('button', { name: 'Reply', exact: true }).click();
  const { composer } = screen(bob.page);
  await expect(composer).toBeFocused();
  await expect(bob.page.getByText(`Replying to ${alice.name}: the meeting is at 3`)).toBeVisible();
  await composer.fill('see you there');
  await composer.press('Enter');
  await expect(bob.page.getByText(/^Replying to/)).toBeHidden();

  for (const page of [bob.page, alice.page]) {
    const reply = messageSaying(page, 'see you there');
    await expectDelivered(reply);
    await expect(quoteIn(reply)).toHaveAccessibleName(`In reply to ${alice.name}: the meeting is at 3`);
  }
  await expect(originalSaying(alice.page, 'the meeting is at 3')).not.toBeInViewport();
  await saveScreen(alice.page, 'reply');

  // The quote takes Alice to the original, focused.
  await quoteIn(messageSaying(alice.page, 'see you there')).click();
  await expect(originalSaying(alice.page, 'the meeting is at 3')).toBeInViewport();
  await expect(originalSaying(alice.page, 'the meeting is at 3')).toBeFocused();

  // Keyboard: from the quote, Tab goes on to the reply's own actions.
  const reply = messageSaying(alice.page, 'see you there');
  await quoteIn(reply).focus();
  await alice.page.keyboard.press('Tab');
  await expect(reply.getByRole('button', { name: 'Add reaction' })).toBeFocused();

  // Alice deletes the original: the quote says so, live and after a reload, and quotes nothing.
  const doomed = originalSaying(alice.page, 'the meeting is at 3');
  await doomed.hover();
  await doomed.getByRole('button', { name: 'Delete', exact: true }).click();
  await doomed.getByRole('button', { name: 'Delete', exact: true }).click();
  for (const page of [bob.page, alice.page]) {
    const answer = messageSaying(page, 'see you there');
    await expect(answer).toContainText('The original message was deleted');
    await expect(quoteIn(answer)).toHaveCount(0);
    await expect(answer).not.toContainText('the meeting is at 3');
  }
  await bob.page.reload();
  await expect(messageSaying(bob.page, 'see you there')).toContainText('The original message was deleted');

  // An address with ?message= (as search results use) opens the channel at that message.
  await bob.page.goto(`/c/${channel.toLowerCase()}?message=${talk[0].id}`);
  const first = screen(bob.page).messages.filter({ hasText: 'small talk number 1' }).first();
  await expect(first).toBeFocused();
  await expect(first).toBeInViewport();
  await expect(screen(bob.page).messages.filter({ hasText: 'see you there' })).not.toBeInViewport();
});

test('a reply written while the server is unreachable shows its quote, and is sent as a reply once back', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice', { signIn: false });
  const network = await networkSwitch(alice.page);
  await login(alice.page, alice.name);
  const channel = uniqueChannelName('offline-reply');
  await createChannel(alice.page, channel);
  await sendMessage(alice.page, 'who brings cake?');

  const original = originalSaying(alice.page, 'who brings cake?');
  await original.hover();
  await original.getByRole('button', { name: 'Reply', exact: true }).click();
  await network.cut();
  const { composer } = screen(alice.page);
  await composer.fill('I do');
  await composer.press('Enter');
  const pending = messageSaying(alice.page, 'I do');
  await expect(pending).toContainText('Waiting for connection…');
  await expect(quoteIn(pending)).toHaveAccessibleName(`In reply to ${alice.name}: who brings cake?`);

  await network.restore();
  // Reconnected (restore() moved the page's clock past the back-off): the rest takes real time.
  await expect(messageSaying(alice.page, 'I do')).not.toContainText('Waiting for connection…', {
    timeout: 15_000,
  });
  await expectDelivered(messageSaying(alice.page, 'I do'));
  // The server stored it as a reply: the quote comes back with the history.
  await alice.page.reload();
  await expect(quoteIn(messageSaying(alice.page, 'I do'))).toHaveAccessibleName(
    `In reply to ${alice.name}: who brings cake?`,
  );
});
