// Desktop notifications: asked for from a click, shown only for mentions and direct messages the
// person would not otherwise see, and a click on one opens where it was said.
import type { BrowserContext, Page } from '@playwright/test';
import {
  badged,
  channelHeading,
  channelLink,
  createChannel,
  login,
  messageButton,
  messagesWith,
  onlineList,
  openChannel,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';
import { setTabHidden } from './support/tab-visibility';

interface SeenNotification {
  title: string;
  body: string | undefined;
}

/**
 * Headless Chromium's notifications cannot be observed, so every page of this context gets a
 * recording stand-in for `Notification`: permission starts as 'default', `requestPermission()`
 * grants it (and is counted), each notification is kept in `window.__notifications`.
 */
async function fakeNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const shown: unknown[] = [];
    let asked = 0;
    class RecordingNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission(): Promise<NotificationPermission> {
        asked++;
        RecordingNotification.permission = 'granted';
        return Promise.resolve('granted');
      }
      onclick: (() => void) | null = null;
      closed = false;
      constructor(
        readonly title: string,
        readonly options: NotificationOptions = {},
      ) {
        shown.push(this);
      }
      close(): void {
        this.closed = true;
      }
    }
    Object.defineProperty(window, 'Notification', {
      configurable: true,
      writable: true,
      value: RecordingNotification,
    });
    Object.assign(window, { __notifications: shown, __permissionRequests: () => asked });
  });
}

interface RecordingWindow {
  __notifications: { title: string; options: NotificationOptions; onclick: (() => void) | null }[];
  __permissionRequests: () => number;
}

function notificationsOf(page: Page): Promise<SeenNotification[]> {
  return page.evaluate(() =>
    (window as unknown as RecordingWindow).__notifications.map(({ title, options }) => ({
      title,
      body: options.body,
    })),
  );
}

test('notifications: asked for from a click; only mentions and DMs one would not see; a click opens the channel', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob', { signIn: false });
  await fakeNotifications(bob.context);
  await login(bob.page, bob.name);

  const x = uniqueChannelName('notify-x');
  const y = uniqueChannelName('notify-y');
  await createChannel(alice.page, y);
  await createChannel(alice.page, x);
  await openChannel(bob.page, y);
  await openChannel(bob.page, x);

  // Never asked on load; asked once, from the click.
  const ask = (page: Page) =>
    page.evaluate(() => (window as unknown as RecordingWindow).__permissionRequests());
  expect(await ask(bob.page)).toBe(0);
  const enable = bob.page.getByRole('button', { name: 'Enable notifications' });
  await enable.click();
  await expect(enable).toBeHidden();
  expect(await ask(bob.page)).toBe(1);

  // A mention in #y, where Bob is not looking: one notification.
  await openChannel(alice.page, y);
  await sendMessage(alice.page, `@${bob.name} can you review this?`);
  await expect
    .poll(() => notificationsOf(bob.page))
    .toEqual([{ title: `${alice.name} (#${y})`, body: `@${bob.name} can you review this?` }]);

  // A plain message there: counted as unread, not notified.
  await sendMessage(alice.page, 'just chatting');
  await expect(channelLink(bob.page, y)).toHaveAccessibleName(badged(y, '1 mention', '2 unread'));
  // A mention in #x, which Bob is reading: he sees it, no notification.
  await openChannel(alice.page, x);
  await sendMessage(alice.page, `@${bob.name} look here`);
  await expect(messagesWith(bob.page, 'look here')).toBeVisible();
  expect(await notificationsOf(bob.page)).toHaveLength(1);

  // The same in #x with Bob's tab in the background: notified.
  await setTabHidden(bob.page, true);
  await sendMessage(alice.page, `@${bob.name} are you there?`);
  await expect
    .poll(async () => (await notificationsOf(bob.page)).at(-1))
    .toEqual({
      title: `${alice.name} (#${x})`,
      body: `@${bob.name} are you there?`,
    });
  await setTabHidden(bob.page, false);

  // A direct message needs no mention.
  await messageButton(onlineList(alice.page), bob.name).click();
  await expect(channelHeading(alice.page, bob.name)).toBeVisible();
  await sendMessage(alice.page, 'a private word');
  await expect
    .poll(async () => (await notificationsOf(bob.page)).at(-1))
    .toEqual({
      title: `${alice.name} (direct message)`,
      body: 'a private word',
    });
  expect(await notificationsOf(bob.page)).toHaveLength(3);

  // Clicking the first one opens #y, where it was said.
  await bob.page.evaluate(() => (window as unknown as RecordingWindow).__notifications[0].onclick?.());
  await expect(channelHeading(bob.page, y)).toBeVisible();
  await expect(messagesWith(bob.page, 'can you review this?')).toBeVisible();
  await expect(channelLink(bob.page, y)).toHaveAccessibleName(y);
  // Clicking the DM's opens the conversation with Alice.
  await bob.page.evaluate(() => (window as unknown as RecordingWindow).__notifications[2].onclick?.());
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expect(messagesWith(bob.page, 'a private word')).toBeVisible();
});
