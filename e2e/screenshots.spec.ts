// Builds a small, realistic scene on a server of its own (so the channel list holds only this
// scene) and takes the README's pictures. They land in e2e/artifacts/screens on every run; the
// committed copies in docs/screenshots are written when missing, or on `--update-snapshots`.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { ChatBot } from './support/bot';
import { channelHeading, login, messagesWith, openChannel, screen, sendMessage } from './support/chat';
import { expect, screensDir, test } from './support/fixtures';
import { repoRoot, startServer, stopServer, type RunningServer } from './support/server';

const docsDir = path.join(repoRoot, 'docs', 'screenshots');

let server: RunningServer | undefined;
test.beforeAll(async () => {
  server = await startServer({ name: 'screenshots' });
});
test.afterAll(async () => {
  if (server) await stopServer(server);
});

test('README screenshots: light, dark and phone', async ({ browser }, testInfo) => {
  const baseURL = server?.url;
  if (!baseURL) throw new Error('the private server did not start');
  const grace = await ChatBot.connect(baseURL, 'Grace');
  const linus = await ChatBot.connect(baseURL, 'Linus');
  try {
    await grace.createChannel('general');
    await linus.createChannel('design-review');
    await grace.createChannel('random');
    await linus.createChannel('announcements');
    await linus.join('general');
    await grace.join('design-review');
    await grace.send('general', 'Morning all! The release branch is cut.');
    await linus.send('general', 'Nice. I will tag the build once the smoke tests pass.');
    await linus.send('general', 'Smoke tests are green on staging.');
    await grace.send(
      'general',
      'Can someone read the new onboarding copy before lunch? It is in #design-review.',
    );
    await linus.send('design-review', 'Mock-ups for the settings page are up.');

    const context = await browser.newContext({
      baseURL,
      viewport: { width: 1280, height: 800 },
      colorScheme: 'light',
    });
    const page = await context.newPage();
    await page.goto('/');
    await login(page, 'Ada');
    await openChannel(page, 'design-review');
    await openChannel(page, 'general');
    await sendMessage(page, 'On it, reading it now.');
    await grace.send('general', 'Thanks! The second paragraph is the one I am least sure about.');
    await expect(messagesWith(page, 'least sure about')).toBeVisible();
    await sendMessage(page, 'One small thing: it says "sign in" in one place and "log in" in another.');
    await grace.send('general', 'Good catch, "sign in" everywhere then.');
    await linus.send('general', 'Thanks Ada!');
    await expect(messagesWith(page, 'Thanks Ada!')).toBeVisible();
    // What waits elsewhere: a mention in another channel and a direct message, with their badges;
    // and someone typing here.
    await linus.send('design-review', '@Ada could you look at the empty states too?');
    const ada = (await grace.members('general')).find((member) => member.name === 'Ada');
    if (!ada) throw new Error('Ada is not a member of #general');
    const dm = await grace.openDm(ada.id);
    await grace.send(dm.channel.id, 'Lunch at noon?');
    await grace.startTyping('general');
    await expect(page.getByText('Grace is typing…')).toBeVisible();
    await screen(page).composer.fill('Ship it!');
    // No hover highlight left on whatever slid under the pointer.
    await page.mouse.move(700, 150);

    await takeScreenshot(page, 'light', testInfo.config.updateSnapshots);
    await page.emulateMedia({ colorScheme: 'dark' });
    await takeScreenshot(page, 'dark', testInfo.config.updateSnapshots);

    // The same person on a phone: a second tab with the same session. The mention in
    // #design-review and the direct message show on the closed menu button.
    const phone = await browser.newContext({
      baseURL,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      colorScheme: 'light',
      storageState: await context.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto('/');
    await expect(channelHeading(phonePage, 'general')).toBeVisible();
    await expect(messagesWith(phonePage, 'Thanks Ada!')).toBeVisible();
    const menu = phonePage.getByRole('button', { name: 'Open channel list, 1 mention, 2 unread' });
    await expect(menu.getByText('@1', { exact: true })).toBeVisible();
    await takeScreenshot(phonePage, 'phone', testInfo.config.updateSnapshots);
    await phone.close();

    // The conversation toolkit: a topic, formatting, a reply with its quote, reactions, and the
    // composer offering people as Ada types "@".
    await linus.setTopic('design-review', 'Settings page redesign · mock-ups due Friday');
    const plan = await linus.send(
      'design-review',
      [
        '**Plan for the settings page**',
        '1. Group the toggles by _what they change_',
        '2. Move ~~Advanced~~ into its own tab',
        '3. Rename `notify_all` to something a person can read',
        '',
        '```',
        'settings:',
        '  theme: system   # light | dark | system',
        '```',
      ].join('\n'),
    );
    const reply = await grace.send(
      'design-review',
      'Love the grouping. For 3, how about **Notify me about**?',
      plan.id,
    );
    await grace.react('design-review', plan.id, '👍');
    await linus.react('design-review', reply.id, '🎉');
    await grace.react('design-review', reply.id, '🎉');
    await linus.send('design-review', '> Notify me about\nYes! Shipping that. Thanks @Grace');
    await page.emulateMedia({ colorScheme: 'light' });
    await openChannel(page, 'design-review');
    await expect(messagesWith(page, 'Shipping that')).toBeVisible();
    await screen(page).composer.fill('');
    await screen(page).composer.pressSequentially('Agreed with @Gr');
    await expect(page.getByRole('listbox', { name: 'People' })).toBeVisible();
    await page.mouse.move(700, 150);
    await takeScreenshot(page, 'conversation', testInfo.config.updateSnapshots);

    // Files: a photo inline and a document as a card.
    await screen(page).composer.fill('');
    const photo = await grace.upload('empty-state-sketch.png', await sketch());
    const notes = await grace.upload(
      'onboarding-copy-v2.txt',
      new TextEncoder().encode('Welcome to Flack!\n'.repeat(40)),
    );
    await grace.sendFiles('design-review', 'Empty state sketch, and the copy as a file', [photo, notes]);
    await expect(page.getByRole('img', { name: /empty-state-sketch/ })).toBeVisible();
    await expect(page.getByText('onboarding-copy-v2.txt')).toBeVisible();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('img')].every((image) => image.complete && image.naturalWidth > 0),
    );
    await page.mouse.move(700, 150);
    await takeScreenshot(page, 'files', testInfo.config.updateSnapshots);

    await context.close();
  } finally {
    grace.close();
    linus.close();
  }
});

/** A small drawing standing in for a designer's sketch: a few shapes on a light card. */
async function sketch(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="400">
    <rect width="640" height="400" fill="#f4f1ea"/>
    <rect x="40" y="40" width="560" height="56" rx="10" fill="#4f46e5"/>
    <circle cx="320" cy="220" r="60" fill="#c7d2fe"/>
    <rect x="200" y="310" width="240" height="28" rx="14" fill="#a5b4fc"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function takeScreenshot(page: Page, name: string, update: string): Promise<void> {
  mkdirSync(screensDir, { recursive: true });
  const artifact = path.join(screensDir, `readme-${name}.png`);
  await page.screenshot({ path: artifact, animations: 'disabled', caret: 'hide' });
  const committed = path.join(docsDir, `${name}.png`);
  if (update === 'all' || update === 'changed' || !existsSync(committed)) {
    // Without a colour emoji font the reactions are drawn as empty boxes: not a picture for the README.
    expect(await drawsColourEmoji(page), 'a colour emoji font (Debian: fonts-noto-color-emoji)').toBe(true);
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(artifact, committed);
  }
}

/** Whether the browser draws 👍 in colour, as a colour emoji font does (a missing glyph is a grey box). */
function drawsColourEmoji(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const context = document.createElement('canvas').getContext('2d')!;
    context.canvas.width = context.canvas.height = 32;
    context.font = '24px sans-serif';
    context.textBaseline = 'top';
    context.fillText('👍', 0, 0);
    const pixels = context.getImageData(0, 0, 32, 32).data;
    for (let i = 0; i < pixels.length; i += 4) {
      const [red, green, blue] = [pixels[i], pixels[i + 1], pixels[i + 2]];
      if (Math.max(red, green, blue) - Math.min(red, green, blue) > 64) return true;
    }
    return false;
  });
}
