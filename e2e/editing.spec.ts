// Editing and deleting one's own messages, as the author does it and as the others see it.
import type { Locator } from '@playwright/test';
import { createChannel, messagesWith, openChannel, screen, sendMessage } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

/** The Edit and Delete buttons of a message, hidden (until hover) or not. */
function ownActions(message: Locator): Locator {
  return message.getByRole('button', { name: /^(Edit|Delete)$/, includeHidden: true });
}

/** Opens the message's own actions the way a mouse does, then clicks one. */
async function clickAction(message: Locator, action: 'Edit' | 'Delete'): Promise<void> {
  await message.hover();
  await message.getByRole('button', { name: action, exact: true }).click();
}

test('the author edits (Edit, Arrow Up) and deletes a message; the others see it change live', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('edits');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await sendMessage(alice.page, 'the meeting is at 3');
  await sendMessage(bob.page, 'see you there');
  await sendMessage(alice.page, 'bring the slides');

  // Only one's own messages have Edit and Delete, even hovered.
  await messagesWith(bob.page, 'the meeting').hover();
  await expect(ownActions(messagesWith(bob.page, 'the meeting'))).toHaveCount(0);
  await expect(ownActions(messagesWith(bob.page, 'see you there'))).toHaveCount(2);
  await expect(ownActions(messagesWith(alice.page, 'see you there'))).toHaveCount(0);

  // Edit from the message's own button.
  const { composer } = screen(alice.page);
  await clickAction(messagesWith(alice.page, 'the meeting'), 'Edit');
  await expect(alice.page.getByText('Editing your message')).toBeVisible();
  await expect(composer).toHaveValue('the meeting is at 3');
  await expect(composer).toBeFocused();
  await composer.fill('the meeting moved to 4 pm');
  await composer.press('Enter');
  await expect(alice.page.getByText('Editing your message')).toBeHidden();
  await expect(composer).toHaveValue('');
  for (const page of [alice.page, bob.page]) {
    await expect(messagesWith(page, 'the meeting moved to 4 pm')).toContainText('(edited)');
    await expect(messagesWith(page, 'the meeting is at 3')).toHaveCount(0);
  }

  // Arrow Up in the empty field takes the last message; Escape lets it be.
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue('bring the slides');
  await expect(alice.page.getByText('Editing your message')).toBeVisible();
  await composer.fill('this edit is thrown away');
  await composer.press('Escape');
  await expect(alice.page.getByText('Editing your message')).toBeHidden();
  await expect(composer).toHaveValue('');
  await expect(messagesWith(alice.page, 'bring the slides')).not.toContainText('(edited)');
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue('bring the slides');
  await composer.fill('bring the slides and the projector');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(messagesWith(bob.page, 'and the projector')).toContainText('(edited)');
  await expect(messagesWith(bob.page, 'see you there')).not.toContainText('(edited)');
  await expect(screen(bob.page).messages).toHaveCount(3);
  await saveScreen(bob.page, 'edited-message');

  // Delete asks first; Cancel keeps the message.
  const doomed = messagesWith(alice.page, 'the meeting moved');
  await clickAction(doomed, 'Delete');
  await expect(doomed).toContainText('Delete this message for everyone?');
  await doomed.getByRole('button', { name: 'Cancel' }).click();
  await expect(doomed).not.toContainText('Delete this message for everyone?');
  await clickAction(doomed, 'Delete');
  await doomed.getByRole('button', { name: 'Delete', exact: true }).click();
  for (const page of [alice.page, bob.page]) {
    await expect(messagesWith(page, 'the meeting moved')).toHaveCount(0);
    await expect(screen(page).messages).toHaveText([/see you there/, /bring the slides and the projector/]);
  }
  // What is gone stays gone for someone who comes later.
  await bob.page.reload();
  await expect(messagesWith(bob.page, 'see you there')).toBeVisible();
  await expect(messagesWith(bob.page, 'the meeting')).toHaveCount(0);
});
