// Leave channel asks first: one tap beside the member count must not take anyone out of a channel.
// On a phone the header's controls are 44 x 44 px and Leave keeps its distance from the count.
import type { Locator, Page } from '@playwright/test';
import { channelHeading, createChannel, expectJoined, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';
import { expectNoAxeViolations } from './support/axe';

const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

function leaveDialog(page: Page, channel: string): Locator {
  return page.getByRole('dialog', { name: `Leave ${channel}?` });
}

test('one tap on Leave only asks; Cancel keeps the channel, Leave in the dialog leaves it', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('stay-or-go');
  await createChannel(alice.page, channel);
  const ui = screen(alice.page);

  await ui.leaveButton.click();
  const dialog = leaveDialog(alice.page, channel);
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('You can join again from Browse channels.');
  await saveScreen(alice.page, 'leave-dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  // Still in: the header, the composer and the sidebar say so, also after a reload.
  await alice.page.reload();
  await expect(channelHeading(alice.page, channel)).toBeVisible();
  await expect(ui.composer).toBeVisible();
  await expectJoined(alice.page, channel);

  await ui.leaveButton.click();
  await dialog.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(channelHeading(alice.page, channel)).toBeHidden();
  await expectJoined(alice.page, channel, false);
});

test('on a phone: 44 px header controls, Leave apart from the member count, the dialog fits', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice', phone);
  const { page } = alice;
  const channel = uniqueChannelName('thumbs');
  const ui = screen(page);
  // On a phone the channel list is in the drawer, which closes once the channel is made.
  await page.getByRole('button', { name: 'Open channel list' }).tap();
  await ui.newChannelField.fill(channel);
  await ui.newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeVisible();
  const members = page.getByRole('button', { name: /^\d+ members?$/ });
  const editTopic = page.getByRole('button', { name: 'Edit topic' });
  await expect(members).toBeVisible();

  for (const control of [members, ui.leaveButton, editTopic]) {
    const box = (await control.boundingBox())!;
    expect(box.width, `${await control.textContent()} width`).toBeGreaterThanOrEqual(44);
    expect(box.height, `${await control.textContent()} height`).toBeGreaterThanOrEqual(44);
  }
  const count = (await members.boundingBox())!;
  const leave = (await ui.leaveButton.boundingBox())!;
  expect(
    leave.x - (count.x + count.width),
    'space between the member count and Leave',
  ).toBeGreaterThanOrEqual(12);
  await saveScreen(page, 'leave-phone-header');

  await ui.leaveButton.tap();
  const dialog = leaveDialog(page, channel);
  await expect(dialog).toBeInViewport({ ratio: 1 });
  for (const name of ['Cancel', 'Leave']) {
    const box = (await dialog.getByRole('button', { name, exact: true }).boundingBox())!;
    expect(box.height, `${name} height`).toBeGreaterThanOrEqual(44);
  }
  await saveScreen(page, 'leave-phone-dialog');
  await dialog.getByRole('button', { name: 'Leave', exact: true }).tap();
  await expect(channelHeading(page, channel)).toBeHidden();
});

test('the Leave dialog passes axe in the dark theme', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice', { colorScheme: 'dark' });
  const channel = uniqueChannelName('night');
  await createChannel(alice.page, channel);
  await screen(alice.page).leaveButton.click();
  await expect(leaveDialog(alice.page, channel)).toBeVisible();
  await saveScreen(alice.page, 'leave-dialog-dark');
  await expectNoAxeViolations(alice.page, 'dialog', 'the Leave dialog, dark');
});
