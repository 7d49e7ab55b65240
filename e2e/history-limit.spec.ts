import { LIMITS } from '@flack/contract';
import { ChatBot } from './support/bot';
import { createChannel, openChannel, screen, sendMessage } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

const notice = `Flack keeps the ${LIMITS.historySize} most recent messages of each channel`;

test('the top of a full channel says that older messages are not kept', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const label = (n: number) => `wall message ${String(n).padStart(3, '0')}`;
  const channel = uniqueChannelName('wall');
  // Five senders taking turns stay within the per-user message rate.
  const bots = await Promise.all([1, 2, 3, 4, 5].map(() => ChatBot.connect(baseURL, uniqueName('sender'))));
  try {
    await bots[0].createChannel(channel);
    await Promise.all(bots.slice(1).map((bot) => bot.join(channel)));
    for (let n = 1; n <= 130; n++) await bots[n % bots.length].send(channel, label(n));

    const alice = await newPerson('alice');
    await openChannel(alice.page, channel);
    const { messageLog, messages } = screen(alice.page);
    await expect(messages.last()).toContainText(label(130));
    await expect(messages).toHaveCount(LIMITS.historySize);
    await messageLog.evaluate((log) => (log.scrollTop = 0));
    const top = alice.page.getByText(notice);
    await expect(top).toBeInViewport();
    await saveScreen(alice.page, 'history-limit');
    await expect(messages.first()).toContainText(label(31));
    // Above the oldest message kept, not the beginning of the channel.
    await expect(alice.page.getByText(/very beginning/)).toHaveCount(0);
  } finally {
    for (const bot of bots) bot.close();
  }
});

test('a channel with fewer messages shows its beginning, without the notice', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('small');
  await createChannel(alice.page, channel);
  await sendMessage(alice.page, 'the first message of a small channel');
  await expect(screen(alice.page).messages).toHaveCount(1);
  await expect(alice.page.getByText(notice)).toHaveCount(0);
});
