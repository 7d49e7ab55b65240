// Direct messages as people see them: opened from the Online list, listed under Direct messages,
// seen by their two people and by nobody else, not even through the address.
import {
  badged,
  channelHeading,
  expectMessage,
  linkInList,
  messageButton,
  messagesWith,
  onlineList,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';

test('a direct message reaches only its two people', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const carol = await newPerson('carol');

  // Alice's own entry in the Online list says "you" and is not a button.
  const mine = onlineList(alice.page).getByRole('listitem').filter({ hasText: alice.name });
  await expect(mine).toContainText('you');
  await expect(messageButton(onlineList(alice.page), alice.name)).toHaveCount(0);

  await messageButton(onlineList(alice.page), bob.name).click();
  await expect(channelHeading(alice.page, bob.name)).toBeVisible();
  const dmPath = decodeURIComponent(new URL(alice.page.url()).pathname);
  // The address names nobody: a DM's id is a hash of the two user ids.
  expect(dmPath).toMatch(/^\/c\/dm:[0-9a-f]{64}$/);
  await expect(screen(alice.page).leaveButton).toHaveCount(0);
  await expect(linkInList(alice.page, 'Direct messages', bob.name)).toHaveAccessibleName(bob.name);
  await sendMessage(alice.page, 'psst, just between us');

  // Bob is told: the conversation is listed under his Direct messages, named after Alice, unread.
  const dmForBob = linkInList(bob.page, 'Direct messages', alice.name);
  await expect(dmForBob).toHaveAccessibleName(badged(alice.name, '1 unread'));
  await expect(dmForBob.getByText('1', { exact: true })).toBeVisible();
  await dmForBob.click();
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expectMessage(messagesWith(bob.page, 'psst'), { author: alice.name, text: 'psst, just between us' });
  await expect(dmForBob).toHaveAccessibleName(alice.name);
  await sendMessage(bob.page, 'got it, nobody else sees this');
  await expectMessage(messagesWith(alice.page, 'nobody else'), {
    author: bob.name,
    text: 'got it, nobody else sees this',
  });
  await saveScreen(bob.page, 'dm');

  // Carol, online all along, has heard of none of it.
  const carolNav = screen(carol.page).channelNav;
  await expect(carolNav.getByRole('link', { name: alice.name })).toHaveCount(0);
  await expect(carolNav.getByRole('link', { name: bob.name })).toHaveCount(0);
  await expect(carolNav.getByRole('list', { name: 'Direct messages' })).toHaveCount(0);
  await expect(carolNav.getByText('Pick someone in the Online list to write to them alone.')).toBeVisible();
  // Not even through its address.
  await carol.page.goto(dmPath);
  await expect(carol.page.getByText('could not be opened')).toBeVisible();
  await expect(screen(carol.page).messages).toHaveCount(0);
  await expect(carol.page.getByText('psst')).toHaveCount(0);
});
