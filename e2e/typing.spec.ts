// The typing indicator under the message list: who is typing, in sentences, and when it goes.
import type { Locator, Page } from '@playwright/test';
import { createChannel, escapeRegExp, messagesWith, openChannel, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

/** How long the server keeps a typist listed after their last keystroke (TYPING_TIMEOUT_MS). */
const TYPING_TIMEOUT_MS = 6_000;

/** The line under the message list that says who is typing (a polite live region). */
function typingLine(page: Page): Locator {
  return page.getByText(/ (is|are) typing…$/);
}

test('the typing indicator: one, two, several typists; gone on send, on clearing, and on its own', async ({
  newPerson,
  saveScreen,
}) => {
  test.slow(); // Waits for the server to forget a typist who stopped.
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const carol = await newPerson('carol');
  const channel = uniqueChannelName('typing');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await openChannel(carol.page, channel);
  const bobTypes = screen(bob.page).composer;
  const carolTypes = screen(carol.page).composer;
  const indicator = typingLine(alice.page);

  await bobTypes.pressSequentially('hel');
  await expect(indicator).toHaveText(`${bob.name} is typing…`);
  // Nobody is told about their own typing.
  await expect(typingLine(bob.page)).toHaveCount(0);
  await bobTypes.fill('');
  await expect(indicator).toHaveCount(0);

  await bobTypes.pressSequentially('hello');
  await expect(indicator).toHaveText(`${bob.name} is typing…`);
  await bobTypes.press('Enter');
  await expect(messagesWith(alice.page, 'hello')).toHaveCount(1);
  await expect(indicator).toHaveCount(0);

  await bobTypes.pressSequentially('and another');
  await carolTypes.pressSequentially('me too');
  const both = [bob.name, carol.name].map(escapeRegExp);
  await expect(indicator).toHaveText(
    new RegExp(`^(${both[0]} and ${both[1]}|${both[1]} and ${both[0]}) are typing…$`),
  );
  await expect(typingLine(bob.page)).toHaveText(`${carol.name} is typing…`);
  await saveScreen(alice.page, 'typing');

  const dave = await newPerson('dave');
  await openChannel(dave.page, channel);
  // Opening a new browser takes seconds on a busy machine: bob and carol keep typing meanwhile,
  // or the server would rightly forget them first.
  await bobTypes.pressSequentially('!');
  await carolTypes.pressSequentially('!');
  await screen(dave.page).composer.pressSequentially('hm');
  await expect(indicator).toHaveText('Several people are typing…');

  // They stop typing and leave their drafts be: the server forgets them after a few seconds.
  await expect(indicator).toHaveCount(0, { timeout: TYPING_TIMEOUT_MS + 10_000 });
  await expect(typingLine(bob.page)).toHaveCount(0);
  await expect(bobTypes).toHaveValue('and another!');
});
