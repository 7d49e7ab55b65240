// A message written during an outage to a channel that no longer exists when Flack is back (the
// server restarted without it) is not hidden: the signed-in frame says "Not sent: the channel is
// gone" with the message, Copy (to the clipboard) and Discard, since the channel cannot be opened.
// The shared server cannot be restarted: this spec starts one of its own, on a port it keeps.
import { fastForwardUntil } from './support/clock';
import { createChannel, login, messagesWith, screen, sendMessage } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';
import { startServer, stopServer, type RunningServer } from './support/server';
import { expectNoAxeViolations } from './support/axe';

let server: RunningServer;
const env = { NAME_CLAIMS_PER_MINUTE: '1000' };

test.beforeEach(async () => {
  server = await startServer({ name: 'channel-gone', env });
});

test.afterEach(async () => {
  await stopServer(server);
});

test('a message to a channel lost in a restart says it was not sent, and can be copied or discarded', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice', {
    baseURL: server.url,
    permissions: ['clipboard-read', 'clipboard-write'],
    signIn: false,
  });
  // The page's clock, moved on below past Socket.IO's reconnection back-off (support/clock.ts).
  await alice.page.clock.install();
  await login(alice.page, alice.name);
  const channel = uniqueChannelName('gone');
  await createChannel(alice.page, channel);
  await sendMessage(alice.page, 'from before the restart');

  await stopServer(server);
  await expect(screen(alice.page).status).toContainText('Flack is restarting');
  const { composer } = screen(alice.page);
  const text = 'the plan for Monday, written while Flack was down';
  await composer.fill(text);
  await composer.press('Enter');
  await expect(messagesWith(alice.page, text)).toContainText('Waiting for connection…');
  // Back on the same port, without the channel: its messages lived in the old process.
  server = await startServer({ name: 'channel-gone', port: server.port, env });

  const notice = alice.page.getByRole('region', { name: 'Not sent: the channel is gone' });
  await fastForwardUntil(
    alice.page,
    async () => (await notice.allTextContents()).join(' ').includes(text),
    'the notice',
  );
  await expect(notice).toContainText(text);
  await expect(notice).toContainText(`#${channel}`);
  await saveScreen(alice.page, 'channel-gone-desktop');
  await expectNoAxeViolations(alice.page, 'app-unsent-notice', 'the notice, light desktop');
  await alice.page.setViewportSize({ width: 390, height: 844 });
  await alice.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(alice.page, 'channel-gone-phone-dark');
  await expectNoAxeViolations(alice.page, 'app-unsent-notice', 'the notice, dark phone');
  await alice.page.setViewportSize({ width: 1280, height: 800 });
  await alice.page.emulateMedia({ colorScheme: 'light' });

  await notice.getByRole('button', { name: 'Copy' }).click();
  await expect(notice.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(text);

  // Kept until the person decides, across a reload too.
  await alice.page.reload();
  await expect(notice).toContainText(text);
  await notice.getByRole('button', { name: 'Discard' }).click();
  await expect(notice).toHaveCount(0);
  await alice.page.reload();
  await expect(screen(alice.page).logOutButton).toBeVisible();
  await expect(alice.page.getByText(text)).toHaveCount(0);
});
