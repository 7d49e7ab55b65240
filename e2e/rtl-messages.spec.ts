import { ChatBot } from './support/bot';
import { createChannel, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

const direction = (element: Element) => getComputedStyle(element).direction;

test('Hebrew reads right to left: the message, its author, the reply quote and the composer', async ({
  newPerson,
  baseURL,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('rtl');
  await createChannel(alice.page, channel);
  const dana = await ChatBot.connect(baseURL, `דנה-${Date.now() % 100000}`);
  try {
    await dana.join(channel);
    const hello = await dana.send(channel, 'שלום לכולם!');
    await dana.send(channel, 'תודה רבה!', hello.id);
    const { composer } = screen(alice.page);
    const message = messagesWith(alice.page, 'שלום לכולם!').first();
    await expect(message).toBeVisible();
    expect(await message.getByText('שלום לכולם!').evaluate(direction)).toBe('rtl');
    // The name is isolated from the app's text around it.
    const author = message.locator('bdi', { hasText: dana.user.name });
    await expect(author).toHaveCount(1);

    const reply = messagesWith(alice.page, 'תודה רבה!');
    const quote = reply.getByRole('button', { name: /In reply to/ });
    expect(await quote.getByText('שלום לכולם!').evaluate(direction)).toBe('rtl');

    expect(await composer.evaluate(direction)).toBe('ltr');
    await composer.fill('מה שלומך?');
    expect(await composer.evaluate(direction)).toBe('rtl');
    await saveScreen(alice.page, 'rtl-messages');
    await composer.fill('English again');
    expect(await composer.evaluate(direction)).toBe('ltr');
    await composer.fill('ok');
    await composer.press('Enter');
    expect(await messagesWith(alice.page, 'ok').getByText('ok', { exact: true }).evaluate(direction)).toBe(
      'ltr',
    );
  } finally {
    dana.close();
  }
});
