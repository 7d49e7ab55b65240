// Names sort as people read them, numbers by value (core/text.ts): Maker2 before Maker10 in the
// sidebar, the direct messages, the Online list, Browse channels and the Ctrl+K switcher.
import { ChatBot } from './support/bot';
import { browseFor, createChannel, linkInList, messageButton, onlineList, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { randomSuffix } from './support/names';

test('Maker2 comes before Maker10 in every list', async ({ newPerson, baseURL }) => {
  // One prefix for the test, so only the number differs (and nothing else on the server is listed).
  const prefix = `s${randomSuffix()}`;
  const [maker2, maker10] = [`${prefix}-maker2`, `${prefix}-maker10`];
  const people = await Promise.all(
    [`${prefix}-Maker10`, `${prefix}-Maker2`].map((name) => ChatBot.connect(baseURL, name)),
  );
  try {
    const { page } = await newPerson('alice');
    await createChannel(page, maker10);
    await createChannel(page, maker2);
    const ours = new RegExp(`^${prefix}-`, 'i');
    const nav = screen(page).channelNav;

    await expect(
      nav.getByRole('list', { name: 'Channels', exact: true }).getByRole('link', { name: ours }),
    ).toHaveText([new RegExp(maker2), new RegExp(maker10)]);
    await expect(
      onlineList(page).getByRole('button', { name: new RegExp(`^Message ${prefix}-`) }),
    ).toHaveText([`${prefix}-Maker2`, `${prefix}-Maker10`]);

    // Direct messages, in the order of the other person's name.
    for (const name of [`${prefix}-Maker10`, `${prefix}-Maker2`]) {
      await messageButton(onlineList(page), name).click();
      await expect(linkInList(page, 'Direct messages', name)).toBeVisible();
    }
    await expect(
      nav.getByRole('list', { name: 'Direct messages', exact: true }).getByRole('link', { name: ours }),
    ).toHaveText([new RegExp(`${prefix}-Maker2`), new RegExp(`${prefix}-Maker10`)]);

    const dialog = await browseFor(page, prefix);
    await expect(dialog.getByRole('listitem')).toHaveText([new RegExp(maker2), new RegExp(maker10)]);
    await page.keyboard.press('Escape');

    await page.keyboard.press('Control+k');
    await page.keyboard.type(prefix);
    const switcher = page.getByRole('dialog', { name: 'Jump to a channel or person' });
    await expect(switcher.getByRole('group', { name: 'Channels' }).getByRole('option')).toHaveText([
      new RegExp(maker2),
      new RegExp(maker10),
    ]);
    await expect(switcher.getByRole('group', { name: 'People' }).getByRole('option')).toHaveText([
      new RegExp(`${prefix}-Maker2`),
      new RegExp(`${prefix}-Maker10`),
    ]);
  } finally {
    for (const person of people) person.close();
  }
});
