// The composer's autocomplete: `@` people (members of the channel first), `#` channels and `:`
// emoji shortcodes, by keyboard and by mouse, as an ARIA combobox.
import type { Page } from '@playwright/test';
import { createChannel, messagesWith, openChannel, screen } from './support/chat';
import { expect, test } from './support/fixtures';
import { randomSuffix, uniqueChannelName } from './support/names';

function suggestions(page: Page) {
  return page.getByRole('listbox');
}

function option(page: Page, name: string | RegExp) {
  return suggestions(page).getByRole('option', { name });
}

test('@ lists the channel member first, then who else is online, and inserts a name with a space', async ({
  newPerson,
  saveScreen,
}) => {
  const tag = randomSuffix();
  // One member of the channel with a space and an accent in her name; one person online elsewhere.
  const zoe = await newPerson('zoe', { name: `Zoë ${tag} Ark` });
  const bob = await newPerson('bob');
  const zoeOther = await newPerson('zoe2', { name: `zoe${tag}` });
  const channel = uniqueChannelName('autocomplete');
  await createChannel(bob.page, channel);
  await openChannel(zoe.page, channel);
  const composer = screen(bob.page).composer;

  await composer.pressSequentially(`Hi @ZOE ${tag}`.slice(0, 7));
  await expect(composer).toHaveAttribute('aria-controls', 'composer-suggestions');
  // Accent- and case-insensitive: "ZOE" finds Zoë; the member first, then the one only online.
  await expect(suggestions(bob.page).getByRole('option')).toHaveText([
    new RegExp(`^@${zoe.name}, member`),
    new RegExp(`^@${zoeOther.name}, online, not a member`),
  ]);
  await expect(option(bob.page, new RegExp(zoe.name))).toHaveAttribute('aria-selected', 'true');
  await saveScreen(bob.page, 'autocomplete-people');

  await composer.press('ArrowDown');
  await expect(option(bob.page, new RegExp(zoeOther.name))).toHaveAttribute('aria-selected', 'true');
  const active = await composer.getAttribute('aria-activedescendant');
  await expect(bob.page.locator(`#${active}`)).toContainText(zoeOther.name);
  await composer.press('ArrowUp');
  // Enter picks while the list is open: nothing is sent.
  await composer.press('Enter');
  await expect(composer).toHaveValue(`Hi @${zoe.name} `);
  await expect(composer).not.toHaveAttribute('aria-controls');
  await expect(suggestions(bob.page)).toHaveCount(0);

  await composer.pressSequentially('welcome');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  // The inserted name is a mention to her: highlighted on her screen.
  const received = messagesWith(zoe.page, 'welcome');
  await expect(received.locator('mark.mention')).toHaveText(`@${zoe.name}`);
});

test('# lists channels, picked with the mouse', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const tag = randomSuffix();
  const target = `plans-${tag}`;
  await createChannel(alice.page, target);
  await createChannel(alice.page, uniqueChannelName('talk'));
  const composer = screen(alice.page).composer;

  await composer.pressSequentially(`see #PLANS-${tag.slice(0, 3)}`);
  await expect(option(alice.page, new RegExp(target))).toBeVisible();
  await option(alice.page, new RegExp(target)).click();
  await expect(composer).toHaveValue(`see #${target} `);
  await expect(composer).toBeFocused();
  await composer.pressSequentially('today');
  await composer.press('Enter');
  await expect(messagesWith(alice.page, `see #${target} today`)).toHaveCount(1);
});

test(':ta offers :tada:, Escape and Tab; a full :tada: becomes 🎉 as it is typed, not in code', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('talk');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  const composer = screen(bob.page).composer;

  // One letter after ":" is not enough (":)" stays quiet), two are.
  await composer.pressSequentially('yay :t');
  await expect(suggestions(bob.page)).toHaveCount(0);
  await composer.pressSequentially('ad');
  await expect(option(bob.page, /:tada:/)).toBeVisible();
  await saveScreen(bob.page, 'autocomplete-emoji');
  await composer.press('Escape');
  await expect(suggestions(bob.page)).toHaveCount(0);
  // Escape closed the list only, and for this word: the text stays, typing on keeps it closed.
  await expect(composer).toHaveValue('yay :tad');
  await composer.pressSequentially('a');
  await expect(suggestions(bob.page)).toHaveCount(0);
  for (let i = 0; i < ':tada'.length; i++) await composer.press('Backspace');
  await composer.pressSequentially(':tad');
  await expect(suggestions(bob.page).getByRole('option').first()).toHaveAccessibleName(/:tada:/);
  await composer.press('Tab');
  await expect(composer).toHaveValue('yay 🎉');

  // Typed in full, the shortcode turns into its emoji as the closing colon is typed.
  await composer.pressSequentially(' and :tada:');
  await expect(composer).toHaveValue('yay 🎉 and 🎉');
  // Not inside code.
  await composer.pressSequentially(' `:tada:`');
  await expect(composer).toHaveValue('yay 🎉 and 🎉 `:tada:`');
  await composer.press('Enter');
  await expect(messagesWith(alice.page, 'yay 🎉 and 🎉')).toHaveCount(1);
});
