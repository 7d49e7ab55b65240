// Who is online: the Online list and the channel's members, across tabs, reloads and the grace period.
import { createChannel, expectSignedIn, messageButton, onlineList, openChannel } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';
import { SHARED_PRESENCE_GRACE_MS } from './support/server';

/** How long the server keeps someone online after their last tab closed (PRESENCE_GRACE_MS). */
const PRESENCE_GRACE_MS = SHARED_PRESENCE_GRACE_MS;
/** Enough, after the grace period, for an "offline" the server should not have sent to show. */
const AFTER_GRACE_MS = 1_500;

test('who is online: several tabs count once, a reload does not flicker, the last tab closing does', async ({
  newPerson,
}) => {
  test.slow(); // Waits out the presence grace period three times.
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('presence');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  const bobOnline = messageButton(onlineList(alice.page), bob.name);
  await expect(bobOnline).toHaveCount(1);
  // Bob sees himself as "you".
  await expect(onlineList(bob.page).getByRole('listitem').filter({ hasText: bob.name })).toContainText('you');

  // The channel's members, with who of them is online.
  const membersToggle = alice.page.getByRole('button', { name: '2 members' });
  await membersToggle.click();
  await expect(membersToggle).toHaveAttribute('aria-expanded', 'true');
  const members = alice.page.getByRole('region', { name: 'Members' });
  const bobAsMember = members.getByRole('listitem').filter({ hasText: bob.name });
  await expect(bobAsMember).toContainText(', online');
  await expect(messageButton(members, bob.name)).toBeVisible();

  // A second tab: still one Bob.
  const secondTab = await bob.context.newPage();
  await secondTab.goto('/');
  await expectSignedIn(secondTab, bob.name);
  await expect(bobOnline).toHaveCount(1);

  // One of two tabs closes: Bob stays, also after the grace period.
  await bob.page.close();
  await alice.page.waitForTimeout(PRESENCE_GRACE_MS + AFTER_GRACE_MS);
  await expect(bobOnline).toHaveCount(1);

  // A reload of his only tab: Bob never leaves Alice's list, not even for a moment.
  await alice.page.evaluate((label) => {
    const flags = window as unknown as { bobWentAway?: boolean };
    flags.bobWentAway = false;
    const listed = () =>
      [...document.querySelectorAll('[aria-label="Online"] button')].some(
        (button) => button.getAttribute('aria-label') === label,
      );
    new MutationObserver(() => {
      if (!listed()) flags.bobWentAway = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  }, `Message ${bob.name}`);
  await secondTab.reload();
  await expectSignedIn(secondTab, bob.name);
  await expect(bobOnline).toHaveCount(1);
  await alice.page.waitForTimeout(PRESENCE_GRACE_MS + AFTER_GRACE_MS);
  await expect(bobOnline).toHaveCount(1);
  expect(
    await alice.page.evaluate(() => (window as unknown as { bobWentAway?: boolean }).bobWentAway),
    'Bob dropped out of the Online list during his reload',
  ).toBe(false);

  // His last tab closes: after the grace period he is offline; still a member, shown as offline.
  await secondTab.close();
  await expect(bobOnline).toHaveCount(0, { timeout: PRESENCE_GRACE_MS + 10_000 });
  await expect(bobAsMember).toContainText(', offline');
});
