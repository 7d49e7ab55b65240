import { ChatBot } from './support/bot';
import { createChannel, messagesWith, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

test('input and two Enters before the view updates send the message once and empty the field', async ({
  newPerson,
  baseURL,
}) => {
  const alice = await newPerson('alice');
  const channel = uniqueChannelName('once');
  await createChannel(alice.page, channel);
  const bob = await ChatBot.connect(baseURL, uniqueName('bob'));
  try {
    await bob.join(channel);
    const { composer } = screen(alice.page);
    // What a paste-and-send tool or a busy phone does: all in one task, before Angular renders.
    await composer.evaluate((field: HTMLTextAreaElement) => {
      field.focus();
      field.value = 'sent exactly once';
      field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'e' }));
      for (let n = 0; n < 2; n++) {
        field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      }
    });
    await expect(composer).toHaveValue('');
    await expect(messagesWith(alice.page, 'sent exactly once')).toHaveCount(1);
    // A third Enter on the emptied field sends nothing either.
    await composer.press('Enter');
    await composer.fill('and then the next one');
    await composer.press('Enter');
    await expect(messagesWith(alice.page, 'and then the next one')).toHaveCount(1);
    await expect(messagesWith(alice.page, 'sent exactly once')).toHaveCount(1);
    await expect(composer).toHaveValue('');

    // What the other person has: each message once.
    const { messages } = await bob.join(channel);
    expect(messages.map((message) => message.text)).toEqual(['sent exactly once', 'and then the next one']);
  } finally {
    bob.close();
  }
});

test('Enter while an input method is composing sends nothing', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  await createChannel(alice.page, uniqueChannelName('ime'));
  const { composer, messages } = screen(alice.page);
  await composer.fill('にほん');
  await composer.evaluate((field: HTMLTextAreaElement) => {
    field.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }),
    );
    // Some input methods report the key as 229 ("Process") without isComposing.
    field.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }),
    );
  });
  await expect(composer).toHaveValue('にほん');
  // The composition over, Enter sends it.
  await composer.press('Enter');
  await expect(messagesWith(alice.page, 'にほん')).toHaveCount(1);
  await expect(messages).toHaveCount(1);
});
