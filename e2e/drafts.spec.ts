// Drafts: what was typed in a channel and not sent stays there, across channel switches and
// reloads; the sidebar marks the channels that have one; sending clears it.
import {
  badged,
  channelLink,
  createChannel,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

test('a draft stays with its channel across switches and a reload, and is marked in the sidebar', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const x = uniqueChannelName('x');
  const y = uniqueChannelName('y');
  await createChannel(alice.page, y);
  await createChannel(alice.page, x);
  const { composer } = screen(alice.page);

  await composer.fill('half a thought');
  await openChannel(alice.page, y);
  await expect(composer).toHaveValue('');
  await expect(channelLink(alice.page, x)).toHaveAccessibleName(badged(x, 'draft'));
  await composer.fill('and one in y');
  await openChannel(alice.page, x);
  await expect(composer).toHaveValue('half a thought');
  // The open channel shows its draft in the field, not a mark.
  await expect(channelLink(alice.page, x)).toHaveAccessibleName(x);
  await expect(channelLink(alice.page, y)).toHaveAccessibleName(badged(y, 'draft'));
  await saveScreen(alice.page, 'drafts-sidebar');

  await alice.page.reload();
  await expect(composer).toHaveValue('half a thought');
  await expect(channelLink(alice.page, y)).toHaveAccessibleName(badged(y, 'draft'));
  await openChannel(alice.page, y);
  await expect(composer).toHaveValue('and one in y');
});

test('editing a sent message gives the draft back; sending the draft clears it', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const x = uniqueChannelName('x');
  const y = uniqueChannelName('y');
  await createChannel(alice.page, y);
  await createChannel(alice.page, x);
  await openChannel(bob.page, x);
  await sendMessage(alice.page, 'first message');
  const { composer } = screen(alice.page);
  await composer.fill('half a thought');

  // Editing a sent message borrows the field; the draft comes back afterwards.
  const sent = messagesWith(alice.page, 'first message');
  await sent.hover();
  await sent.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(composer).toHaveValue('first message');
  await composer.fill('first message, edited');
  await composer.press('Enter');
  await expect(messagesWith(bob.page, 'first message, edited')).toHaveCount(1);
  await expect(composer).toHaveValue('half a thought');

  // A draft is never sent on its own: bob has seen only the message.
  await expect(screen(bob.page).messages).toHaveCount(1);
  await composer.press('Enter');
  await expect(messagesWith(bob.page, 'half a thought')).toHaveCount(1);
  await expect(composer).toHaveValue('');
  await openChannel(alice.page, y);
  await expect(channelLink(alice.page, x)).toHaveAccessibleName(x);
  await openChannel(alice.page, x);
  await expect(composer).toHaveValue('');
});

test('drafts are per person, and "Forget me" drops them', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('forget');
  await createChannel(alice.page, channel);
  await screen(alice.page).composer.fill('not for anyone else');
  const secondChannel = uniqueChannelName('other');
  await createChannel(alice.page, secondChannel);
  await expect(channelLink(alice.page, channel)).toHaveAccessibleName(badged(channel, 'draft'));

  // Someone else signs in in the same browser: none of it is theirs.
  await screen(alice.page).logOutButton.click();
  const { displayNameField } = screen(alice.page);
  await displayNameField.fill(`${alice.name}-2`);
  await displayNameField.press('Enter');
  await createChannel(alice.page, uniqueChannelName('theirs'));
  await expect(screen(alice.page).channelNav.getByText(', draft')).toHaveCount(0);

  // Back as alice, the draft is there; forgotten, it is gone from this browser.
  await screen(alice.page).logOutButton.click();
  await displayNameField.fill(alice.name);
  await displayNameField.press('Enter');
  await expect(channelLink(alice.page, channel)).toHaveAccessibleName(badged(channel, 'draft'));
  await alice.page.getByRole('button', { name: 'Forget me…' }).click();
  await alice.page.getByRole('button', { name: 'Forget me for good' }).click();
  await expect(displayNameField).toBeVisible();
  const saved = await alice.page.evaluate(() => localStorage.getItem('flack.drafts'));
  expect(saved ?? '').not.toContain('not for anyone else');
});
