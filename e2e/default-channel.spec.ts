// A fresh server has #general, and a newcomer lands in it on first sign-in. The shared server of the
// other specs has no default channel (e2e/support/server.ts), so this spec starts its own.
import { ChatBot } from './support/bot';
import { channelHeading, expectJoined, login, messagesWith, screen, sendMessage } from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueName } from './support/names';
import { startServer, stopServer, type RunningServer } from './support/server';

let server: RunningServer;

test.beforeAll(async () => {
  // DEFAULT_CHANNELS unset: what a production server starts with.
  server = await startServer({
    name: 'default-channel',
    env: { DEFAULT_CHANNELS: undefined, NAME_CLAIMS_PER_MINUTE: '1000' },
  });
});

test.afterAll(async () => {
  await stopServer(server);
});

test('a newcomer lands in #general, with what was said there before', async ({ newPerson, saveScreen }) => {
  const carol = await ChatBot.connect(server.url, uniqueName('carol'));
  await carol.send('general', 'Welcome, whoever comes next!');

  const alice = await newPerson('alice', { signIn: false, baseURL: server.url });
  await alice.page.goto('/');
  await login(alice.page, alice.name);

  await expect(alice.page).toHaveURL(/\/c\/general$/);
  await expect(channelHeading(alice.page, 'general')).toBeVisible();
  await expectJoined(alice.page, 'general');
  await expect(messagesWith(alice.page, 'Welcome, whoever comes next!')).toHaveCount(1);
  await saveScreen(alice.page, 'default-channel');

  // A second newcomer finds the first one there.
  const bob = await newPerson('bob', { signIn: false, baseURL: server.url });
  await bob.page.goto('/');
  await login(bob.page, bob.name);
  await expect(channelHeading(bob.page, 'general')).toBeVisible();
  await sendMessage(bob.page, 'hi all');
  await expect(messagesWith(alice.page, 'hi all')).toHaveCount(1);
  await expect(screen(alice.page).composer).toBeVisible();
  carol.close();
});
