// axe-core on every screen and dialog, in light and dark, on a desktop and on a 390x844 phone:
// no violations. One page per mode walks the whole app (its state reused from screen to screen);
// every screen's findings are collected before the test fails, so one run lists them all.
import type { Locator, Page } from '@playwright/test';
import sharp from 'sharp';
import { ChatBot } from './support/bot';
import { channelHeading, linkInList, login, messagesWith, screen } from './support/chat';
import { expect, test, type PersonOptions } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';
import { axeViolations } from './support/axe';

interface Mode {
  name: string;
  options: PersonOptions;
  phone: boolean;
  /** Dark by the OS (System) or by the picker's saved choice: both paths are checked. */
  savedTheme?: 'dark';
}

const desktop = { viewport: { width: 1280, height: 800 } };
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const MODES: Mode[] = [
  { name: 'desktop, light', options: { ...desktop, colorScheme: 'light' }, phone: false },
  { name: 'desktop, dark (System on a dark OS)', options: { ...desktop, colorScheme: 'dark' }, phone: false },
  { name: 'phone, light', options: { ...phone, colorScheme: 'light' }, phone: true },
  {
    name: 'phone, dark (picked on a light OS)',
    options: { ...phone, colorScheme: 'light' },
    phone: true,
    savedTheme: 'dark',
  },
];

/**
 * Runs axe on the page as it is now (or only on `scope`: a modal dialog leaves the rest inert, and
 * the page under it was audited already); a finding fails the test at its end, with where it was.
 */
async function audit(page: Page, where: string, scope?: string): Promise<void> {
  expect.soft(await axeViolations(page, scope), `axe on ${where}`).toEqual([]);
}

async function png(): Promise<Uint8Array> {
  return sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 60, g: 130, b: 200 } } })
    .png()
    .toBuffer();
}

/** What the other person writes in the channel: formatting, a reply, a reaction, an image and a file. */
async function fillChannel(bot: ChatBot, channel: string): Promise<void> {
  await bot.join(channel);
  await bot.setTopic(channel, 'Plans for the week, see https://example.com/plan');
  const first = await bot.send(
    channel,
    '**Welcome** to the _channel_: `npm start` runs it.\n> quoted advice\n- one\n- two\nhttps://example.com',
  );
  await bot.react(channel, first.id, '👍');
  await bot.send(channel, 'Agreed, see you there', first.id);
  const image = await bot.upload('harbour.png', await png());
  const notes = await bot.upload('notes.txt', new TextEncoder().encode('the agenda'));
  await bot.sendFiles(channel, 'The photo and the agenda', [image, notes]);
}

/** Opens `open`, audits the dialog it shows, closes it with its Close button or Escape. */
async function auditDialog(page: Page, where: string, open: () => Promise<void>, dialog: Locator) {
  await open();
  await expect(dialog).toBeVisible();
  await audit(page, where, 'dialog[open], [role="dialog"]');
  const close = dialog.getByRole('button', { name: 'Close', exact: true });
  if (await close.isVisible()) await close.click();
  else await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

interface Scene {
  page: Page;
  name: string;
  bot: ChatBot;
  channel: string;
  channelId: string;
  /** Opens the channel list: the drawer on a phone (a no-op on a desktop, where it is always shown). */
  openDrawer: () => Promise<void>;
}

type NewPerson = Parameters<Parameters<typeof test>[2]>[0]['newPerson'];

/**
 * A new person in `mode` on the sign-in page; `signedIn` then runs once they are signed in, in a
 * channel of theirs that the other person has filled, with one message of their own.
 */
async function inMode(
  mode: Mode,
  newPerson: NewPerson,
  baseURL: string,
  steps: {
    signedOut?: (page: Page) => Promise<void>;
    welcome?: (page: Page) => Promise<void>;
    signedIn: (scene: Scene) => Promise<void>;
    /** False: the channel stays empty (the app's dialogs do not need its messages). */
    filled?: boolean;
  },
): Promise<void> {
  const { page, name } = await newPerson('reader', {
    ...mode.options,
    reducedMotion: 'reduce',
    signIn: false,
  });
  if (mode.savedTheme)
    await page.addInitScript((theme) => localStorage.setItem('flack.theme', theme), mode.savedTheme);
  const ui = screen(page);
  const openDrawer = async () => {
    if (!mode.phone) return;
    await page.getByRole('button', { name: 'Open channel list' }).click();
    await expect(ui.channelNav).toBeInViewport();
  };
  await page.goto('/');
  await expect(ui.displayNameField).toBeVisible();
  await steps.signedOut?.(page);
  await login(page, name);
  await steps.welcome?.(page);

  const channel = uniqueChannelName('a11y');
  await openDrawer();
  await ui.newChannelField.fill(channel);
  await ui.newChannelField.press('Enter');
  await expect(channelHeading(page, channel)).toBeVisible();
  const channelId = decodeURIComponent(new URL(page.url()).pathname.replace(/^\/c\//, ''));
  const bot = await ChatBot.connect(baseURL, uniqueName('guide'));
  try {
    if (steps.filled === false) {
      await steps.signedIn({ page, name, bot, channel, channelId, openDrawer });
      return;
    }
    await fillChannel(bot, channelId);
    await ui.composer.fill('My own message, with a @mention of nobody');
    await ui.composer.press('Enter');
    await expect(messagesWith(page, 'The photo and the agenda')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Open image harbour.png' })).toBeVisible();
    await expect(messagesWith(page, 'My own message')).toBeVisible();
    await steps.signedIn({ page, name, bot, channel, channelId, openDrawer });
  } finally {
    bot.close();
  }
}

for (const mode of MODES) {
  test(`no axe violations on the pages: ${mode.name}`, async ({ newPerson, baseURL }) => {
    await inMode(mode, newPerson, baseURL, {
      signedOut: (page) => audit(page, 'the sign-in page'),
      welcome: async (page) => {
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await audit(page, 'the welcome page');
      },
      signedIn: async ({ page, name, bot, channelId, openDrawer }) => {
        await audit(page, 'a channel with messages');

        await openDrawer();
        await audit(page, mode.phone ? 'the open drawer' : 'the sidebar', '#sidebar');
        await page.getByRole('button', { name: 'Forget me…' }).click();
        await expect(page.getByRole('button', { name: 'Forget me for good' })).toBeVisible();
        await audit(page, 'the forget-me confirmation', '#sidebar');
        await page.getByRole('button', { name: 'Cancel' }).click();

        const reader = (await bot.members(channelId)).find((member) => member.name === name);
        if (!reader) throw new Error(`${name} is not among the members`);
        const dm = await bot.openDm(reader.id);
        await bot.send(dm.channel.id, 'A word in private');
        await linkInList(page, 'Direct messages', bot.user.name).click();
        await expect(messagesWith(page, 'A word in private')).toBeVisible();
        await audit(page, 'a direct message');
      },
    });
  });

  test(`no axe violations in a channel's dialogs: ${mode.name}`, async ({ newPerson, baseURL }) => {
    await inMode(mode, newPerson, baseURL, {
      signedIn: async ({ page }) => {
        await auditDialog(
          page,
          'the emoji picker',
          () => page.getByRole('button', { name: 'Emoji', exact: true }).click(),
          page.getByRole('dialog', { name: 'Insert an emoji' }),
        );
        await auditDialog(
          page,
          'the lightbox',
          () => page.getByRole('button', { name: 'Open image harbour.png' }).click(),
          page.getByRole('dialog', { name: /harbour\.png/ }),
        );
        await page.getByRole('button', { name: 'Edit topic' }).click();
        await expect(page.getByRole('textbox', { name: 'Topic' })).toBeVisible();
        await audit(page, 'the topic editor', 'main');
        await page.keyboard.press('Escape');
        await expect(page.getByRole('textbox', { name: 'Topic' })).toBeHidden();

        const search = page.getByRole('combobox', { name: 'Search messages' });
        await search.fill('agenda');
        await expect(
          page.getByRole('listbox', { name: 'Messages found' }).getByRole('option').first(),
        ).toBeVisible();
        await audit(page, 'search results', 'header');
        await search.press('Escape');
      },
    });
  });

  test(`no axe violations in the app's dialogs: ${mode.name}`, async ({ newPerson, baseURL }) => {
    await inMode(mode, newPerson, baseURL, {
      filled: false,
      signedIn: async ({ page, channel, openDrawer }) => {
        await channelHeading(page, channel).click();
        await auditDialog(
          page,
          'the channel switcher',
          () => page.keyboard.press('Control+K'),
          page.getByRole('dialog', { name: /^Jump to a channel/ }),
        );
        await auditDialog(
          page,
          'the keyboard shortcuts',
          () => page.keyboard.press('?'),
          page.getByRole('dialog', { name: 'Keyboard shortcuts' }),
        );
        await openDrawer();
        await auditDialog(
          page,
          'browse channels',
          () => page.getByRole('button', { name: 'Browse channels' }).click(),
          page.getByRole('dialog', { name: 'Browse channels' }),
        );
      },
    });
  });
}
