import type { Page } from '@playwright/test';
import { ChatBot } from './support/bot';
import {
  channelHeading,
  channelLink,
  createChannel,
  joinChannel,
  login,
  messagesWith,
  screen,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';

const phone = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };
const iphone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test('works on a 375 px wide phone, with the channel list in a drawer', async ({ newPerson, saveScreen }) => {
  const bob = await newPerson('bob');
  const elsewhere = uniqueChannelName('elsewhere');
  await createChannel(bob.page, elsewhere);

  const alice = await newPerson('alice', { ...phone, signIn: false });
  const { page } = alice;
  const ui = screen(page);
  await page.goto('/');
  await expectNoSidewaysScroll(page);
  await saveScreen(page, 'phone-login');
  await login(page, alice.name);
  await expectNoSidewaysScroll(page);

  // The top bar's menu button ("Browse channels" on the welcome page opens the drawer too).
  const drawerButton = page.getByRole('button', { name: 'Open channel list' });
  await drawerButton.tap();
  await expect(ui.channelNav).toBeVisible();
  // Wholly in view once the drawer has finished sliding in.
  await expect(ui.newChannelField).toBeInViewport({ ratio: 1 });
  await saveScreen(page, 'phone-drawer');

  const channel = uniqueChannelName('pocket');
  await ui.newChannelField.fill(channel);
  await ui.newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeInViewport();
  await expect(ui.channelNav).toBeHidden();
  await expect(ui.composer).toBeInViewport();
  await expect(ui.leaveButton).toBeInViewport();

  await ui.composer.fill('typed on a phone');
  await ui.composer.press('Enter');
  await expect(messagesWith(page, 'typed on a phone')).toBeInViewport();
  await expectNoSidewaysScroll(page);
  await saveScreen(page, 'phone-chat');

  // A channel alice has not joined is found through Browse channels, in the drawer.
  await drawerButton.tap();
  await joinChannel(page, elsewhere);
  await expect(channelHeading(page, elsewhere)).toBeInViewport();
  await expect(ui.channelNav).toBeHidden();
  await expect(ui.composer).toBeInViewport();
  await expectNoSidewaysScroll(page);
});

/** New channel, from the drawer; the app opens it and closes the drawer. */
async function createOnPhone(page: Page, channel: string): Promise<void> {
  const ui = screen(page);
  await page.getByRole('button', { name: /^Open channel list/ }).tap();
  await ui.newChannelField.fill(channel);
  await ui.newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeInViewport();
  await expect(ui.channelNav).toBeHidden();
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: 'page wider than the phone',
    })
    .toBeLessThanOrEqual(phone.viewport.width);
}

test('on a phone, the closed menu button shows what is unread elsewhere, mentions apart', async ({
  newPerson,
  baseURL,
}) => {
  const alice = await newPerson('alice', iphone);
  const { page } = alice;
  const here = uniqueChannelName('here');
  const there = uniqueChannelName('there');
  const menu = page.getByRole('button', { name: /^Open channel list/ });
  await createOnPhone(page, there);
  await createOnPhone(page, here);
  await expect(menu).toHaveAccessibleName('Open channel list');

  const bob = await ChatBot.connect(baseURL, `bob-${Date.now().toString(36)}`);
  try {
    await bob.join(there);
    await bob.send(there, 'nothing for you');
    await expect(menu).toHaveAccessibleName('Open channel list, 1 unread');
    await bob.send(there, `@${alice.name} this one is for you`);
    // Seen without opening the drawer: the mention count, on the button itself.
    await expect(menu).toHaveAccessibleName('Open channel list, 1 mention, 2 unread');
    await expect(menu.getByText('@1', { exact: true })).toBeInViewport();
    await expect(screen(page).channelNav).toBeHidden();

    // Reading the channel clears it.
    await menu.tap();
    await channelLink(page, there).tap();
    await expect(messagesWith(page, 'this one is for you')).toBeInViewport();
    await expect(menu).toHaveAccessibleName('Open channel list');
    await expect(menu.getByText('@1', { exact: true })).toHaveCount(0);
  } finally {
    bob.close();
  }
});

test('on a phone, every button and link of the top bar and the open drawer is at least 44 px', async ({
  newPerson,
}) => {
  const { page } = await newPerson('alice', iphone);
  const ui = screen(page);
  await createOnPhone(page, uniqueChannelName('tall'));
  await page.getByRole('button', { name: /^Open channel list/ }).tap();
  await expect(ui.newChannelField).toBeInViewport({ ratio: 1 });

  const small = await page.evaluate(() => {
    // The top bar and the drawer: the page's header and aside, not those inside the chat.
    const areas = [...document.querySelectorAll('header, aside')].filter((area) => !area.closest('main'));
    return areas
      .flatMap((area) => [...area.querySelectorAll<HTMLElement>('button, a[href]')])
      .filter((control) => control.checkVisibility())
      .map((control) => ({ control, box: control.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.height < 44 || box.width < 44))
      .map(
        ({ control, box }) =>
          `${control.textContent?.trim() || control.getAttribute('aria-label') || control.tagName} ${Math.round(box.width)}x${Math.round(box.height)}`,
      );
  });
  expect(small, 'controls smaller than 44x44 px').toEqual([]);
});

test('on a phone, a long name leaves the message search room, and is still read out', async ({
  newPerson,
}) => {
  const { page, name } = await newPerson('alexandra-long', iphone);
  const search = page.getByRole('combobox', { name: 'Search messages' });
  await expect(search).toBeVisible();
  // The field, not its frame: wide enough to show what is typed (it was 12 px with this name).
  expect((await search.boundingBox())!.width).toBeGreaterThanOrEqual(100);
  await expect(page.getByRole('banner')).toContainText(name);
});

test('on a phone, the text fields one types in are 44 px tall too', async ({ newPerson }) => {
  const { page } = await newPerson('alice', iphone);
  await createOnPhone(page, uniqueChannelName('fields'));
  const fields = {
    message: screen(page).composer,
    'message search': page.getByRole('combobox', { name: 'Search messages' }),
  };
  for (const [name, field] of Object.entries(fields)) {
    // The field itself, not its frame: a tap on the frame's edge misses the caret (36 and 42 px before).
    expect((await field.boundingBox())!.height, `the ${name} field`).toBeGreaterThanOrEqual(44);
  }
});
