// Reactions: two people and a second tab react to a message, see counts and who reacted, take a
// reaction back, live everywhere; a reload keeps them; the 21st emoji is refused in words.
import type { Locator, Page } from '@playwright/test';
import type { ClientToServerEvents, ServerToClientEvents } from '@flack/contract';
import type { Socket } from 'socket.io-client';
import { ChatBot } from './support/bot';
import {
  channelHeading,
  createChannel,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

/** A message's reaction chip for `emoji`, whatever its count. */
function chip(message: Locator, emoji: string): Locator {
  return message
    .getByRole('group', { name: 'Reactions' })
    .getByRole('button', { name: new RegExp(`^${emoji} \\d+: `) });
}

/** The picker names each emoji by its CLDR name. */
const NAMES: Record<string, string> = { '👍': 'thumbs up', '🎉': 'party popper', '👀': 'eyes' };

/** Opens the message's "Add reaction" picker the way a mouse does, and picks `emoji` by searching. */
async function addReaction(message: Locator, emoji: string): Promise<void> {
  await message.hover();
  await message.getByRole('button', { name: 'Add reaction' }).click();
  const picker = message.page().getByRole('dialog', { name: 'Add reaction' });
  await picker.getByRole('searchbox', { name: 'Search emoji' }).fill(NAMES[emoji]);
  await picker.getByRole('button', { name: NAMES[emoji], exact: true }).click();
  await expect(picker).toBeHidden();
}

async function expectChip(page: Page, text: string, emoji: string, label: string, pressed: boolean) {
  const reaction = chip(messagesWith(page, text), emoji);
  await expect(reaction).toHaveAccessibleName(label);
  await expect(reaction).toHaveAttribute('aria-pressed', String(pressed));
}

test('two people and a second tab react, see who did, take a reaction back, live; a reload keeps them', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('reacts');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  const aliceTab = await alice.context.newPage();
  await aliceTab.goto('/');
  await expect(channelHeading(aliceTab, channel)).toBeVisible();
  await sendMessage(alice.page, 'lunch at noon?');

  await addReaction(messagesWith(bob.page, 'lunch at noon?'), '👍');
  await expectChip(bob.page, 'lunch at noon?', '👍', '👍 1: you', true);
  for (const page of [alice.page, aliceTab]) {
    await expectChip(page, 'lunch at noon?', '👍', `👍 1: ${bob.name}`, false);
  }

  // Alice adds hers from the chip itself; her other tab shows it pressed too.
  await chip(messagesWith(alice.page, 'lunch at noon?'), '👍').click();
  for (const page of [alice.page, aliceTab]) {
    await expectChip(page, 'lunch at noon?', '👍', `👍 2: ${bob.name} and you`, true);
  }
  await expectChip(bob.page, 'lunch at noon?', '👍', `👍 2: ${alice.name} and you`, true);
  // `+:tada:` as a whole message reacts to the newest message instead of sending one.
  await screen(aliceTab).composer.fill('+:tada:');
  await screen(aliceTab).composer.press('Enter');
  await expect(screen(aliceTab).composer).toHaveValue('');
  await expectChip(aliceTab, 'lunch at noon?', '🎉', '🎉 1: you', true);
  await expect(screen(bob.page).messages).toHaveCount(1);
  await expectChip(bob.page, 'lunch at noon?', '🎉', `🎉 1: ${alice.name}`, false);

  // Who reacted shows on hover, and on keyboard focus.
  const thumbs = chip(messagesWith(bob.page, 'lunch at noon?'), '👍');
  await thumbs.hover();
  await expect(thumbs.getByText(`${alice.name} and you`)).toBeVisible();
  await saveScreen(bob.page, 'reactions');
  await bob.page.mouse.move(0, 0);
  await expect(thumbs.getByText(`${alice.name} and you`)).toBeHidden();
  await chip(messagesWith(bob.page, 'lunch at noon?'), '🎉').focus();
  await bob.page.keyboard.press('Shift+Tab');
  await expect(thumbs).toBeFocused();
  await expect(thumbs.getByText(`${alice.name} and you`)).toBeVisible();

  // Bob takes his back: everyone sees it go.
  await thumbs.click();
  await expectChip(bob.page, 'lunch at noon?', '👍', `👍 1: ${alice.name}`, false);
  for (const page of [alice.page, aliceTab]) {
    await expectChip(page, 'lunch at noon?', '👍', '👍 1: you', true);
  }

  // They come back with the history.
  await bob.page.reload();
  await expectChip(bob.page, 'lunch at noon?', '👍', `👍 1: ${alice.name}`, false);
  await expectChip(bob.page, 'lunch at noon?', '🎉', `🎉 1: ${alice.name}`, false);
  await expect(
    messagesWith(bob.page, 'lunch at noon?').getByRole('group', { name: 'Reactions' }).getByRole('button'),
  ).toHaveCount(2);
});

test('a 21st different emoji on a message is refused in words, and nothing changes', async ({
  newPerson,
  baseURL,
}) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('full');
  await createChannel(alice.page, channel);
  await sendMessage(alice.page, 'vote with emoji');

  // Someone else fills the message with 20 different emoji over the socket, as any client may.
  const carol = await ChatBot.connect(baseURL, uniqueName('carol'));
  try {
    const { messages } = await carol.join(channel.toLowerCase());
    const target = messages.find((message) => message.text === 'vote with emoji')!;
    const twenty = [
      '😀',
      '😁',
      '😂',
      '🤣',
      '😃',
      '😄',
      '😅',
      '😆',
      '😉',
      '😊',
      '😋',
      '😎',
      '😍',
      '😘',
      '🥰',
      '😗',
      '😙',
      '🥲',
      '🙂',
      '🤗',
    ];
    for (const emoji of twenty) await react(carol, { channel: target.channel, id: target.id, emoji });
  } finally {
    carol.close();
  }
  const message = messagesWith(alice.page, 'vote with emoji');
  await expect(message.getByRole('group', { name: 'Reactions' }).getByRole('button')).toHaveCount(20);

  await addReaction(message, '👀');

  await expect(screen(alice.page).alert).toContainText('at most 20 different reactions');
  await expect(message.getByRole('group', { name: 'Reactions' }).getByRole('button')).toHaveCount(20);
  await expect(chip(message, '👀')).toHaveCount(0);
});

type FlackSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** ChatBot speaks the contract but has no reaction call: its socket does. Waits out a rate limit. */
async function react(bot: ChatBot, payload: { channel: string; id: string; emoji: string }): Promise<void> {
  const socket = (bot as unknown as { socket: FlackSocket }).socket;
  for (;;) {
    const response = await socket.timeout(5_000).emitWithAck('message:react', payload);
    if (response.ok) return;
    if (response.error.code !== 'RATE_LIMITED') throw new Error(response.error.message);
    await new Promise((resolve) => setTimeout(resolve, response.error.retryAfterMs ?? 500));
  }
}
