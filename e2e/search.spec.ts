// Search: a word from an older message is found from the top bar, with its channel, author and the
// word marked, and choosing it opens the channel at that message; a conversation between two others
// is never found; Ctrl/Cmd+K finds people (opening the conversation) and channels one has not
// joined (joining them), and hands a message search over to the search field.
import type { Page } from '@playwright/test';
import { ChatBot } from './support/bot';
import {
  channelHeading,
  createChannel,
  expectJoined,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

function search(page: Page) {
  const results = page.getByRole('listbox', { name: 'Messages found' });
  return {
    field: page.getByRole('combobox', { name: 'Search messages' }),
    results: results.getByRole('option'),
  };
}

function switcher(page: Page) {
  const dialog = page.getByRole('dialog', { name: 'Jump to a channel or person' });
  return {
    dialog,
    field: dialog.getByRole('combobox', { name: 'Jump to…' }),
    options: dialog.getByRole('option'),
  };
}

const commandK = process.platform === 'darwin' ? 'Meta+k' : 'Control+k';

test('finds a word from an older message and opens the channel at it', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const kitchen = uniqueChannelName('kitchen');
  const elsewhere = uniqueChannelName('elsewhere');
  await createChannel(alice.page, kitchen);
  await openChannel(bob.page, kitchen);
  await sendMessage(bob.page, 'The pineapple pizza is in the fridge, help yourselves');

  // Forty messages later the pizza is far up the channel.
  const chatter = await ChatBot.connect(baseURL, uniqueName('chatter'));
  try {
    await chatter.join(kitchen.toLowerCase());
    for (let i = 1; i <= 40; i++) await chatter.send(kitchen.toLowerCase(), `small talk number ${i}`);
  } finally {
    chatter.close();
  }
  await createChannel(alice.page, elsewhere);

  const { field, results } = search(alice.page);
  await field.click();
  await field.pressSequentially('PINEAPPLE piz');
  await expect(field).toHaveAccessibleDescription('1 message matches.');
  await expect(field).toHaveAttribute('aria-expanded', 'true');
  const result = results.first();
  await expect(result).toContainText(`#${kitchen}`);
  await expect(result).toContainText(bob.name);
  await expect(result.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
  await expect(result.locator('mark')).toHaveText(['pineapple', 'pizza']);
  await saveScreen(alice.page, 'search-light');
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'search-dark');
  await alice.page.emulateMedia({ colorScheme: 'light' });

  await alice.page.keyboard.press('Enter');
  await expect(channelHeading(alice.page, kitchen)).toBeVisible();
  expect(new URL(alice.page.url()).searchParams.get('message')).toMatch(/^[0-9a-f-]{36}$/);
  const found = messagesWith(alice.page, 'pineapple pizza');
  await expect(found).toBeInViewport();
  await expect(found).toBeFocused();
  await expect(results).toHaveCount(0);

  // Nothing found says so, in words.
  await field.fill('');
  await field.pressSequentially('zebracrossing');
  await expect(field).toHaveAccessibleDescription('No messages match “zebracrossing”.');
  await alice.page.keyboard.press('Escape');
  await expect(field).toHaveAttribute('aria-expanded', 'false');
});

test('a conversation between two others is never found', async ({ newPerson, baseURL }) => {
  const secret = uniqueName('swordfish');
  const [dora, ed] = await Promise.all([
    ChatBot.connect(baseURL, uniqueName('dora')),
    ChatBot.connect(baseURL, uniqueName('ed')),
  ]);
  try {
    const dm = await dora.openDm(ed.user.id);
    await dora.send(dm.channel.id, `the password is ${secret}`);
  } finally {
    dora.close();
    ed.close();
  }
  const carol = await newPerson('carol');
  const { field, results } = search(carol.page);
  await field.click();
  await field.pressSequentially(secret);
  await expect(field).toHaveAccessibleDescription(`No messages match “${secret}”.`);
  await expect(results).toHaveCount(0);
});

test('Ctrl/Cmd+K finds a person to write to, a channel to join, and searches messages', async ({
  newPerson,
  baseURL,
}) => {
  const alice = await newPerson('alice');
  const mine = uniqueChannelName('mine');
  await createChannel(alice.page, mine);
  await sendMessage(alice.page, 'the quarterly budget is ready');
  const frank = await ChatBot.connect(baseURL, uniqueName('frank'));
  const garden = uniqueChannelName('garden');
  try {
    await frank.createChannel(garden);
    const { dialog, field, options } = switcher(alice.page);

    // A person: in the People group; Enter opens the conversation with them.
    await alice.page.keyboard.press(commandK);
    await field.pressSequentially(frank.user.name);
    const person = dialog.getByRole('group', { name: 'People' }).getByRole('option');
    await expect(person).toHaveText(new RegExp(`${frank.user.name}\\s*online`));
    await expect(options.last()).toHaveText(`Search messages for “${frank.user.name}”`);
    await alice.page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(channelHeading(alice.page, frank.user.name)).toBeVisible();
    await expect(screen(alice.page).composer).toBeVisible();

    // A channel not joined yet: picking it joins it.
    await alice.page.keyboard.press(commandK);
    await field.pressSequentially(garden);
    const unjoined = dialog.getByRole('group', { name: 'Channels you have not joined' }).getByRole('option');
    await expect(unjoined).toHaveText(new RegExp(`${garden}\\s*not joined`));
    await alice.page.keyboard.press('Enter');
    await expect(channelHeading(alice.page, garden)).toBeVisible();
    await expectJoined(alice.page, garden);

    // And the words themselves: the last option searches the messages.
    await alice.page.keyboard.press(commandK);
    await field.pressSequentially('budget');
    await alice.page.keyboard.press('ArrowUp');
    await expect(options.last()).toHaveAttribute('aria-selected', 'true');
    await alice.page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    const found = search(alice.page);
    await expect(found.field).toBeFocused();
    await expect(found.field).toHaveValue('budget');
    await expect(found.results).toHaveCount(1);
    await expect(found.results.first()).toContainText(`#${mine}`);
    await expect(found.results.first().locator('mark')).toHaveText('budget');
  } finally {
    frank.close();
  }
});
