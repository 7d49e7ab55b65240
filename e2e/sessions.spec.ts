import {
  channelHeading,
  createChannel,
  expectJoined,
  expectSignedIn,
  login,
  logOut,
  openChannel,
  screen,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

test('asks for a display name and remembers it across a reload', async ({ newPerson, saveScreen }) => {
  const { page, name } = await newPerson('alice', { signIn: false });
  const ui = screen(page);

  await page.goto('/');
  await expect(ui.displayNameField).toBeVisible();
  await expect(ui.logOutButton).toBeHidden();
  await saveScreen(page, 'login');

  await ui.displayNameField.fill(name);
  await ui.continueButton.click();
  await expectSignedIn(page, name);

  await page.reload();
  await expectSignedIn(page, name);
});

test('refuses a display name that someone is using', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const { page } = await newPerson('impostor', { signIn: false });
  const ui = screen(page);

  await page.goto('/');
  await ui.displayNameField.fill(alice.name);
  await ui.displayNameField.press('Enter');

  await expect(ui.alert).toContainText(/\S/);
  await expect(ui.logOutButton).toBeHidden();
  await expect(ui.displayNameField).toBeVisible();
  await saveScreen(page, 'login-name-taken');
});

test('reopens the last channel after the page is closed and opened again', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const first = uniqueChannelName('first');
  const second = uniqueChannelName('second');
  await createChannel(alice.page, first);
  await createChannel(alice.page, second);
  // The last one opened, not the last one created.
  await openChannel(alice.page, first);

  await alice.page.close();
  const page = await alice.context.newPage();
  await page.goto('/');

  await expectSignedIn(page, alice.name);
  await expect(channelHeading(page, first)).toBeVisible();
  await expect(screen(page).composer).toBeVisible();
});

test('logging out and back in with the same name rejoins the channels', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const own = uniqueChannelName('alices');
  const joined = uniqueChannelName('bobs-joined');
  const notJoined = uniqueChannelName('bobs-other');
  await createChannel(bob.page, joined);
  await createChannel(bob.page, notJoined);
  await createChannel(alice.page, own);
  await openChannel(alice.page, joined);

  await expectJoined(alice.page, own);
  await expectJoined(alice.page, joined);
  await expectJoined(alice.page, notJoined, false);

  await logOut(alice.page);
  await alice.page.reload();
  await expect(screen(alice.page).displayNameField).toBeVisible();
  await login(alice.page, alice.name);

  await expectJoined(alice.page, own);
  await expectJoined(alice.page, joined);
  await expectJoined(alice.page, notJoined, false);
  await openChannel(alice.page, own);
});
