import { LIMITS } from '@flack/contract';
import { ChatBot } from './support/bot';
import { createChannel, expectMessage, messagesWith, openChannel, screen, sendMessage } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

test('opening a channel shows its history, oldest first', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('history');
  await createChannel(alice.page, channel);
  const texts = ['first of three', 'second of three', 'third of three'];
  for (const text of texts) await sendMessage(alice.page, text);

  const bob = await newPerson('bob');
  await openChannel(bob.page, channel);

  const { messages } = screen(bob.page);
  await expect(messages).toHaveText(texts.map((text) => new RegExp(text)));
  for (const [index, text] of texts.entries()) {
    await expectMessage(messages.nth(index), { author: alice.name, text });
  }
});

test('messages arrive live both ways, with name and time', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('live');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);

  await sendMessage(alice.page, 'hello from alice');
  await expectMessage(messagesWith(bob.page, 'hello from alice'), {
    author: alice.name,
    text: 'hello from alice',
  });

  await sendMessage(bob.page, 'hello back from bob');
  await expectMessage(messagesWith(alice.page, 'hello back from bob'), {
    author: bob.name,
    text: 'hello back from bob',
  });

  // Shift+Enter is a new line in the same message; Enter sends.
  const composer = screen(bob.page).composer;
  await composer.pressSequentially('two lines:');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('the second one');
  await expect(composer).toHaveValue('two lines:\nthe second one');
  await composer.press('Enter');
  const twoLines = messagesWith(alice.page, 'the second one');
  await expectMessage(twoLines, { author: bob.name, text: 'two lines:' });

  await expect(screen(alice.page).messages).toHaveCount(3);
  await expect(screen(bob.page).messages).toHaveCount(3);
  await saveScreen(alice.page, 'chat-desktop');
});

test(`shows only the last ${LIMITS.historySize} messages after 105 sends`, async ({ newPerson, baseURL }) => {
  const label = (n: number) => `flood message ${String(n).padStart(3, '0')}`;
  const channel = uniqueChannelName('flood');
  // Five senders taking turns stay within the per-user message rate, so the flood takes seconds.
  const bots = await Promise.all([1, 2, 3, 4, 5].map(() => ChatBot.connect(baseURL, uniqueName('flooder'))));
  try {
    await bots[0].createChannel(channel);
    await Promise.all(bots.slice(1).map((bot) => bot.join(channel)));
    for (let n = 1; n <= 105; n++) await bots[n % bots.length].send(channel, label(n));

    const alice = await newPerson('alice');
    await openChannel(alice.page, channel);
    const { messages } = screen(alice.page);
    await expect(messages).toHaveCount(LIMITS.historySize);
    await expect(messages.first()).toContainText(label(6));
    await expect(messages.last()).toContainText(label(105));

    // The server keeps the newest ones: one more and a fresh look start one later.
    await bots[0].send(channel, label(106));
    await expect(messages.last()).toContainText(label(106));
    await alice.page.reload();
    await expect(messages.last()).toContainText(label(106));
    await expect(messages).toHaveCount(LIMITS.historySize);
    await expect(messages.first()).toContainText(label(7));
  } finally {
    for (const bot of bots) bot.close();
  }
});

test('the view holds still for a reader who scrolled up; "New messages below" takes them down', async ({
  newPerson,
  baseURL,
}) => {
  const channel = uniqueChannelName('scroll');
  // Five senders taking turns stay within the per-user message rate.
  const bots = await Promise.all([1, 2, 3, 4, 5].map(() => ChatBot.connect(baseURL, uniqueName('talker'))));
  try {
    await bots[0].createChannel(channel);
    await Promise.all(bots.slice(1).map((bot) => bot.join(channel)));
    // A full channel: each new message now drops the oldest one from the top of the list.
    for (let n = 1; n <= 100; n++) await bots[n % bots.length].send(channel, `line ${n}`);

    const alice = await newPerson('alice');
    await openChannel(alice.page, channel);
    const { messageLog, messages } = screen(alice.page);
    await expect(messages.last()).toContainText('line 100');
    // The older rows are drawn a frame each, above the newest: the reader scrolls up once they are.
    await expect(messages).toHaveCount(LIMITS.historySize);
    const below = alice.page.getByRole('button', { name: 'New messages below' });
    await expect(below).toBeHidden();

    await messageLog.evaluate((log) => (log.scrollTop = log.scrollHeight / 2));
    const reading = messagesWith(alice.page, 'line 50').first();
    const before = await reading.boundingBox();
    await bots[1].send(channel, 'line 101');
    await bots[2].send(channel, 'line 102');

    await expect(below).toBeVisible();
    await expect(messages.last()).toContainText('line 102');
    expect(await reading.boundingBox(), 'line 50 stays where the reader had it').toEqual(before);

    await below.click();
    await expect(messages.last()).toBeInViewport();
    await expect(below).toBeHidden();
  } finally {
    for (const bot of bots) bot.close();
  }
});
