// Reliable delivery as a person sees it: what is typed while the server cannot be reached waits in
// the outbox (even across a reload) and is sent once it is back; a message the server never answers
// shows as pending, then failed with a Retry; a server restart is announced and the person is put
// back where they were.
import { ChatBot } from './support/bot';
import {
  channelHeading,
  channelLink,
  createChannel,
  expectDelivered,
  expectJoined,
  leaveChannel,
  login,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';
import { fastForwardUntil } from './support/clock';
import { networkSwitch } from './support/network';
import { startServer, stopServer, type RunningServer } from './support/server';

test('a message typed while the server is unreachable is kept across a reload and sent once it is back', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob', { signIn: false });
  const network = await networkSwitch(bob.page);
  await login(bob.page, bob.name);
  const channel = uniqueChannelName('outbox');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await sendMessage(bob.page, 'before the outage');

  await network.cut();
  await expect(screen(bob.page).status).toContainText('Connection lost');
  const { composer } = screen(bob.page);
  for (const text of ['written offline, first', 'written offline, second']) {
    await composer.fill(text);
    await composer.press('Enter');
    await expect(composer).toHaveValue('');
    await expect(messagesWith(bob.page, text)).toContainText('Waiting for connection…');
  }
  await sendMessage(alice.page, 'said while bob was away');
  await saveScreen(bob.page, 'delivery-offline');

  // Still unreachable after a reload: the outbox is kept in the browser, not in the page.
  await bob.page.reload();
  // A connection attempt to nowhere is given up after the handshake timeout (5 s of the page's clock).
  const { status } = screen(bob.page);
  const unreachable = async () => (await status.allTextContents()).join(' ').includes('Cannot reach Flack');
  await fastForwardUntil(bob.page, unreachable, 'Cannot reach Flack', { maxMs: 10_000 });
  await expect(status).toContainText('Cannot reach Flack');
  await network.restore();

  await expect(channelHeading(bob.page, channel)).toBeVisible({ timeout: 20_000 });
  const expected = [
    'before the outage',
    'said while bob was away',
    'written offline, first',
    'written offline, second',
  ];
  for (const page of [alice.page, bob.page]) {
    const { messages } = screen(page);
    await expect(messages).toHaveCount(expected.length);
    await expect(messages).toHaveText(expected.map((text) => new RegExp(text)));
    for (const text of expected) await expectDelivered(messagesWith(page, text));
  }
});

test('a message the server does not answer shows as pending, then failed, and Retry sends it once', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob', { signIn: false });
  const network = await networkSwitch(bob.page);
  await login(bob.page, bob.name);
  const channel = uniqueChannelName('retry');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);

  network.swallowSends(true);
  const { composer } = screen(bob.page);
  await composer.fill('lost in transit');
  await composer.press('Enter');
  const message = messagesWith(bob.page, 'lost in transit');
  await expect(message).toContainText('Sending…');
  // Three unanswered attempts (5 s each, 1 s and 2 s apart) before the message is called failed:
  // 18 s of the page's clock, moved on by the test.
  const failed = 'Not sent. The server did not answer.';
  await fastForwardUntil(
    bob.page,
    async () => (await message.textContent())?.includes(failed) ?? false,
    'failed',
  );
  await expect(message).toContainText(failed);
  await saveScreen(bob.page, 'delivery-failed');
  await expect(messagesWith(alice.page, 'lost in transit')).toHaveCount(0);

  network.swallowSends(false);
  await message.getByRole('button', { name: 'Retry' }).click();

  await expectDelivered(message);
  await expect(messagesWith(alice.page, 'lost in transit')).toHaveCount(1);
  await expect(messagesWith(bob.page, 'lost in transit')).toHaveCount(1);
});

test('two tabs of one person follow each other: create, messages, leave', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  // Same browser, same storage: the second tab is signed in as the same session.
  const second = await alice.context.newPage();
  await second.goto('/');
  await expect(screen(second).logOutButton).toBeVisible();
  const channel = uniqueChannelName('tabs');

  await createChannel(alice.page, channel);
  await expectJoined(second, channel);
  await openChannel(second, channel);
  await sendMessage(second, 'from the second tab');
  await expectDelivered(messagesWith(alice.page, 'from the second tab'));
  await sendMessage(alice.page, 'from the first tab');
  await expect(messagesWith(second, 'from the first tab')).toHaveCount(1);

  await leaveChannel(alice.page, channel);
  // Alice was its only member, so it is gone for everyone, from every tab's list.
  await expect(channelLink(second, channel)).toHaveCount(0);
  await expect(channelLink(alice.page, channel)).toHaveCount(0);
  await expect(channelHeading(second, channel)).toHaveCount(0);
});

test.describe('a server restart', () => {
  let server: RunningServer;

  test.beforeEach(async () => {
    server = await startServer({ name: 'restart', env: { NAME_CLAIMS_PER_MINUTE: '1000' } });
  });

  test.afterEach(async () => {
    await stopServer(server);
  });

  test('is announced; the name is claimed again and the channels that exist again are rejoined', async ({
    newPerson,
    saveScreen,
  }) => {
    const alice = await newPerson('alice', { signIn: false, baseURL: server.url });
    const network = await networkSwitch(alice.page);
    await login(alice.page, alice.name);
    const kept = uniqueChannelName('kept');
    const gone = uniqueChannelName('gone');
    await createChannel(alice.page, gone);
    await createChannel(alice.page, kept);
    await sendMessage(alice.page, 'from before the restart');

    await stopServer(server);
    await expect(screen(alice.page).status).toContainText('Flack is restarting');
    // Keep Alice away until the new server has #kept again, so the test does not race her.
    await network.cut();
    server = await startServer({
      name: 'restart',
      port: server.port,
      env: { NAME_CLAIMS_PER_MINUTE: '1000' },
    });
    const carol = await ChatBot.connect(server.url, uniqueName('carol'));
    await carol.createChannel(kept);
    const { composer } = screen(alice.page);
    await composer.fill('written during the restart');
    await composer.press('Enter');

    await network.restore();

    // Reconnected (restore() moved the page's clock past the back-off); the claim and the rejoin follow.
    await expect(screen(alice.page).status).toContainText(
      `Flack restarted and lost its memory. You are signed in again as ${alice.name}`,
      { timeout: 20_000 },
    );
    await expect(channelHeading(alice.page, kept)).toBeVisible();
    await expect(channelLink(alice.page, gone)).toHaveCount(0);
    await expect(messagesWith(alice.page, 'from before the restart')).toHaveCount(0);
    await expectDelivered(messagesWith(alice.page, 'written during the restart'));
    const history = await carol.join(kept);
    expect(history.messages.map((m) => [m.author.name, m.text])).toEqual([
      [alice.name, 'written during the restart'],
    ]);
    await saveScreen(alice.page, 'delivery-restarted');

    await screen(alice.page).status.getByRole('button', { name: 'Dismiss' }).click();
    await expect(screen(alice.page).status).toHaveCount(0);
    carol.close();
  });
});
