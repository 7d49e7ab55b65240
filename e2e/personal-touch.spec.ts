// The "personal touch" as people see it, two or three (or four) at a time: direct messages, editing
// and deleting, who is online, who is typing, unread counts and mentions, the unread shortcuts and
// notifications. The server's rules behind them are proved by the backend tests; here, the screen.
import type { BrowserContext, Locator, Page } from '@playwright/test';
import {
  channelHeading,
  channelLink,
  createChannel,
  escapeRegExp,
  expectMessage,
  expectSignedIn,
  login,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName, uniqueName } from './support/names';

/** How long the server keeps someone online after their last tab closed (PRESENCE_GRACE_MS). */
const PRESENCE_GRACE_MS = 5_000;
/** How long the server keeps a typist listed after their last keystroke (TYPING_TIMEOUT_MS). */
const TYPING_TIMEOUT_MS = 6_000;

/** The sidebar's list of everyone online. */
function onlineList(page: Page): Locator {
  return screen(page).channelNav.getByRole('list', { name: 'Online', exact: true });
}

/** The button that opens a direct conversation with `name`, in a people list. */
function messageButton(scope: Locator, name: string): Locator {
  return scope.getByRole('button', { name: `Message ${name}`, exact: true });
}

/** A link in one of the sidebar's lists ("Your channels", "Direct messages"…), by its name's start. */
function linkInList(page: Page, list: string, name: string): Locator {
  return screen(page)
    .channelNav.getByRole('list', { name: list, exact: true })
    .getByRole('link', { name: new RegExp(`^${escapeRegExp(name)}`) });
}

/**
 * A channel link's accessible name with its badges, e.g. `badged(y, '1 mention', '2 unread')`
 * for "y, 1 mention, 2 unread" (Chromium puts a space between the name and each badge's text).
 */
function badged(name: string, ...badges: string[]): RegExp {
  return new RegExp(`^${escapeRegExp(name)}${badges.map((badge) => `\\s*, ${badge}`).join('')}$`);
}

/** The line under the message list that says who is typing (a polite live region). */
function typingLine(page: Page): Locator {
  return page.getByText(/ (is|are) typing…$/);
}

/** The Edit and Delete buttons of a message, hidden (until hover) or not. */
function ownActions(message: Locator): Locator {
  return message.getByRole('button', { name: /^(Edit|Delete)$/, includeHidden: true });
}

/** Opens the message's own actions the way a mouse does, then clicks one. */
async function clickAction(message: Locator, action: 'Edit' | 'Delete'): Promise<void> {
  await message.hover();
  await message.getByRole('button', { name: action, exact: true }).click();
}

/**
 * Headless Chromium shows every page as visible. This tells the app its tab went to the
 * background (or came back), as switching tabs would.
 */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

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

test('a direct message reaches only its two people', async ({ newPerson, saveScreen }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const carol = await newPerson('carol');

  // Alice's own entry in the Online list says "you" and is not a button.
  const mine = onlineList(alice.page).getByRole('listitem').filter({ hasText: alice.name });
  await expect(mine).toContainText('you');
  await expect(messageButton(onlineList(alice.page), alice.name)).toHaveCount(0);

  await messageButton(onlineList(alice.page), bob.name).click();
  await expect(channelHeading(alice.page, bob.name)).toBeVisible();
  const dmPath = decodeURIComponent(new URL(alice.page.url()).pathname);
  expect(dmPath).toMatch(/^\/c\/dm:[^:]+:[^:]+$/);
  await expect(screen(alice.page).leaveButton).toHaveCount(0);
  await expect(linkInList(alice.page, 'Direct messages', bob.name)).toHaveAccessibleName(bob.name);
  await sendMessage(alice.page, 'psst, just between us');

  // Bob is told: the conversation is listed under his Direct messages, named after Alice, unread.
  const dmForBob = linkInList(bob.page, 'Direct messages', alice.name);
  await expect(dmForBob).toHaveAccessibleName(badged(alice.name, '1 unread'));
  await expect(dmForBob.getByText('1', { exact: true })).toBeVisible();
  await dmForBob.click();
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expectMessage(messagesWith(bob.page, 'psst'), { author: alice.name, text: 'psst, just between us' });
  await expect(dmForBob).toHaveAccessibleName(alice.name);
  await sendMessage(bob.page, 'got it, nobody else sees this');
  await expectMessage(messagesWith(alice.page, 'nobody else'), {
    author: bob.name,
    text: 'got it, nobody else sees this',
  });
  await saveScreen(bob.page, 'dm');

  // Carol, online all along, has heard of none of it.
  const carolNav = screen(carol.page).channelNav;
  await expect(carolNav.getByRole('link', { name: alice.name })).toHaveCount(0);
  await expect(carolNav.getByRole('link', { name: bob.name })).toHaveCount(0);
  await expect(carolNav.getByRole('list', { name: 'Direct messages' })).toHaveCount(0);
  await expect(carolNav.getByText('Pick someone in the Online list to write to them alone.')).toBeVisible();
  // Not even through its address.
  await carol.page.goto(dmPath);
  await expect(carol.page.getByText('could not be opened')).toBeVisible();
  await expect(screen(carol.page).messages).toHaveCount(0);
  await expect(carol.page.getByText('psst')).toHaveCount(0);
});

test('the author edits (Edit, Arrow Up) and deletes a message; the others see it change live', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('edits');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await sendMessage(alice.page, 'the meeting is at 3');
  await sendMessage(bob.page, 'see you there');
  await sendMessage(alice.page, 'bring the slides');

  // Only one's own messages have Edit and Delete, even hovered.
  await messagesWith(bob.page, 'the meeting').hover();
  await expect(ownActions(messagesWith(bob.page, 'the meeting'))).toHaveCount(0);
  await expect(ownActions(messagesWith(bob.page, 'see you there'))).toHaveCount(2);
  await expect(ownActions(messagesWith(alice.page, 'see you there'))).toHaveCount(0);

  // Edit from the message's own button.
  const { composer } = screen(alice.page);
  await clickAction(messagesWith(alice.page, 'the meeting'), 'Edit');
  await expect(alice.page.getByText('Editing your message')).toBeVisible();
  await expect(composer).toHaveValue('the meeting is at 3');
  await expect(composer).toBeFocused();
  await composer.fill('the meeting moved to 4 pm');
  await composer.press('Enter');
  await expect(alice.page.getByText('Editing your message')).toBeHidden();
  await expect(composer).toHaveValue('');
  for (const page of [alice.page, bob.page]) {
    await expect(messagesWith(page, 'the meeting moved to 4 pm')).toContainText('(edited)');
    await expect(messagesWith(page, 'the meeting is at 3')).toHaveCount(0);
  }

  // Arrow Up in the empty field takes the last message; Escape lets it be.
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue('bring the slides');
  await expect(alice.page.getByText('Editing your message')).toBeVisible();
  await composer.fill('this edit is thrown away');
  await composer.press('Escape');
  await expect(alice.page.getByText('Editing your message')).toBeHidden();
  await expect(composer).toHaveValue('');
  await expect(messagesWith(alice.page, 'bring the slides')).not.toContainText('(edited)');
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue('bring the slides');
  await composer.fill('bring the slides and the projector');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(messagesWith(bob.page, 'and the projector')).toContainText('(edited)');
  await expect(messagesWith(bob.page, 'see you there')).not.toContainText('(edited)');
  await expect(screen(bob.page).messages).toHaveCount(3);
  await saveScreen(bob.page, 'edited-message');

  // Delete asks first; Cancel keeps the message.
  const doomed = messagesWith(alice.page, 'the meeting moved');
  await clickAction(doomed, 'Delete');
  await expect(doomed).toContainText('Delete this message for everyone?');
  await doomed.getByRole('button', { name: 'Cancel' }).click();
  await expect(doomed).not.toContainText('Delete this message for everyone?');
  await clickAction(doomed, 'Delete');
  await doomed.getByRole('button', { name: 'Delete', exact: true }).click();
  for (const page of [alice.page, bob.page]) {
    await expect(messagesWith(page, 'the meeting moved')).toHaveCount(0);
    await expect(screen(page).messages).toHaveText([/see you there/, /bring the slides and the projector/]);
  }
  // What is gone stays gone for someone who comes later.
  await bob.page.reload();
  await expect(messagesWith(bob.page, 'see you there')).toBeVisible();
  await expect(messagesWith(bob.page, 'the meeting')).toHaveCount(0);
});

test('who is online: several tabs count once, a reload does not flicker, the last tab closing does', async ({
  newPerson,
}) => {
  test.slow(); // Waits out the presence grace period three times.
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('presence');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  const bobOnline = messageButton(onlineList(alice.page), bob.name);
  await expect(bobOnline).toHaveCount(1);
  // Bob sees himself as "you".
  await expect(onlineList(bob.page).getByRole('listitem').filter({ hasText: bob.name })).toContainText('you');

  // The channel's members, with who of them is online.
  const membersToggle = alice.page.getByRole('button', { name: '2 members' });
  await membersToggle.click();
  await expect(membersToggle).toHaveAttribute('aria-expanded', 'true');
  const members = alice.page.getByRole('region', { name: 'Members' });
  const bobAsMember = members.getByRole('listitem').filter({ hasText: bob.name });
  await expect(bobAsMember).toContainText(', online');
  await expect(messageButton(members, bob.name)).toBeVisible();

  // A second tab: still one Bob.
  const secondTab = await bob.context.newPage();
  await secondTab.goto('/');
  await expectSignedIn(secondTab, bob.name);
  await expect(bobOnline).toHaveCount(1);

  // One of two tabs closes: Bob stays, also after the grace period.
  await bob.page.close();
  await alice.page.waitForTimeout(PRESENCE_GRACE_MS + 2_000);
  await expect(bobOnline).toHaveCount(1);

  // A reload of his only tab: Bob never leaves Alice's list, not even for a moment.
  await alice.page.evaluate((label) => {
    const flags = window as unknown as { bobWentAway?: boolean };
    flags.bobWentAway = false;
    const listed = () =>
      [...document.querySelectorAll('[aria-label="Online"] button')].some(
        (button) => button.getAttribute('aria-label') === label,
      );
    new MutationObserver(() => {
      if (!listed()) flags.bobWentAway = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  }, `Message ${bob.name}`);
  await secondTab.reload();
  await expectSignedIn(secondTab, bob.name);
  await expect(bobOnline).toHaveCount(1);
  await alice.page.waitForTimeout(PRESENCE_GRACE_MS + 2_000);
  await expect(bobOnline).toHaveCount(1);
  expect(
    await alice.page.evaluate(() => (window as unknown as { bobWentAway?: boolean }).bobWentAway),
    'Bob dropped out of the Online list during his reload',
  ).toBe(false);

  // His last tab closes: after the grace period he is offline; still a member, shown as offline.
  await secondTab.close();
  await expect(bobOnline).toHaveCount(0, { timeout: PRESENCE_GRACE_MS + 10_000 });
  await expect(bobAsMember).toContainText(', offline');
});

test('the typing indicator: one, two, several typists; gone on send, on clearing, and on its own', async ({
  newPerson,
  saveScreen,
}) => {
  test.slow(); // Waits for the server to forget a typist who stopped.
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const carol = await newPerson('carol');
  const channel = uniqueChannelName('typing');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await openChannel(carol.page, channel);
  const bobTypes = screen(bob.page).composer;
  const carolTypes = screen(carol.page).composer;
  const indicator = typingLine(alice.page);

  await bobTypes.pressSequentially('hel');
  await expect(indicator).toHaveText(`${bob.name} is typing…`);
  // Nobody is told about their own typing.
  await expect(typingLine(bob.page)).toHaveCount(0);
  await bobTypes.fill('');
  await expect(indicator).toHaveCount(0);

  await bobTypes.pressSequentially('hello');
  await expect(indicator).toHaveText(`${bob.name} is typing…`);
  await bobTypes.press('Enter');
  await expect(messagesWith(alice.page, 'hello')).toHaveCount(1);
  await expect(indicator).toHaveCount(0);

  await bobTypes.pressSequentially('and another');
  await carolTypes.pressSequentially('me too');
  const both = [bob.name, carol.name].map(escapeRegExp);
  await expect(indicator).toHaveText(
    new RegExp(`^(${both[0]} and ${both[1]}|${both[1]} and ${both[0]}) are typing…$`),
  );
  await expect(typingLine(bob.page)).toHaveText(`${carol.name} is typing…`);
  await saveScreen(alice.page, 'typing');

  const dave = await newPerson('dave');
  await openChannel(dave.page, channel);
  await screen(dave.page).composer.pressSequentially('hm');
  await expect(indicator).toHaveText('Several people are typing…');

  // They stop typing and leave their drafts be: the server forgets them after a few seconds.
  await expect(indicator).toHaveCount(0, { timeout: TYPING_TIMEOUT_MS + 10_000 });
  await expect(typingLine(bob.page)).toHaveCount(0);
  await expect(bobTypes).toHaveValue('and another');
});

test('unread counts and mentions per channel, the tab title and the New messages divider, in every tab', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const x = uniqueChannelName('x');
  const y = uniqueChannelName('y');
  await createChannel(alice.page, y);
  await sendMessage(alice.page, 'an old message in y');
  await createChannel(alice.page, x);
  await openChannel(bob.page, y);
  await expect(messagesWith(bob.page, 'an old message in y')).toBeVisible();
  await openChannel(bob.page, x);
  await expect(bob.page).toHaveTitle(`#${x} · Flack`);
  // Bob's second tab, back on #x where he was.
  const secondTab = await bob.context.newPage();
  await secondTab.goto('/');
  await expect(channelHeading(secondTab, x)).toBeVisible();

  await openChannel(alice.page, y);
  await sendMessage(alice.page, 'first unread in y');
  await sendMessage(alice.page, `@${bob.name} this one is for you`);

  for (const page of [bob.page, secondTab]) {
    await expect(channelLink(page, y)).toHaveAccessibleName(badged(y, '1 mention', '2 unread'));
    // The badges people see: the mention count, and the unread count.
    await expect(channelLink(page, y).getByText('@1', { exact: true })).toBeVisible();
    await expect(channelLink(page, y).getByText('2', { exact: true })).toBeVisible();
    await expect(channelLink(page, x)).toHaveAccessibleName(x);
    await expect(page).toHaveTitle(`(2) #${x} · Flack`);
  }
  await saveScreen(bob.page, 'unread-badges');

  await openChannel(bob.page, y);
  const divider = screen(bob.page).messageLog.getByRole('separator', { name: 'New messages' });
  await expect(divider).toHaveCount(1);
  await expect(divider.locator('xpath=preceding-sibling::article[1]')).toContainText('an old message in y');
  await expect(divider.locator('xpath=following-sibling::article[1]')).toContainText('first unread in y');
  await expect(channelLink(bob.page, y)).toHaveAccessibleName(y);
  await expect(bob.page).toHaveTitle(`#${y} · Flack`);
  await saveScreen(bob.page, 'new-messages-divider');

  // Read state lives on the server: the other tab agrees at once, and so does a new one.
  await expect(channelLink(secondTab, y)).toHaveAccessibleName(y);
  await expect(secondTab).toHaveTitle(`#${x} · Flack`);
  await secondTab.reload();
  await expect(channelHeading(secondTab, x)).toBeVisible();
  await expect(channelLink(secondTab, y)).toHaveAccessibleName(y);
  await openChannel(secondTab, y);
  await expect(messagesWith(secondTab, 'this one is for you')).toBeVisible();
  await expect(secondTab.getByRole('separator', { name: 'New messages' })).toHaveCount(0);
});

test('Alt+Shift+Down / Up go to the next / previous channel with unread messages, DMs included', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  // One prefix, so the three sort a, b, c in Bob's list (his only channels).
  const prefix = uniqueName('keys').slice(-6);
  const [a, b, c] = ['a', 'b', 'c'].map((letter) => `${prefix}-${letter}`);
  for (const channel of [a, b, c]) {
    await createChannel(alice.page, channel);
    await openChannel(bob.page, channel);
  }
  await sendMessage(bob.page, 'bob was here');
  await openChannel(bob.page, a);

  await openChannel(alice.page, b);
  await sendMessage(alice.page, 'news in b');
  await openChannel(alice.page, c);
  await sendMessage(alice.page, 'news in c');
  await expect(channelLink(bob.page, b)).toHaveAccessibleName(badged(b, '1 unread'));
  await expect(channelLink(bob.page, c)).toHaveAccessibleName(badged(c, '1 unread'));

  // From the message field, where plain Arrow Up would edit Bob's last message.
  const { composer } = screen(bob.page);
  await expect(composer).toBeFocused();
  await bob.page.keyboard.press('Alt+Shift+ArrowDown');
  await expect(channelHeading(bob.page, b)).toBeVisible();
  await expect(channelLink(bob.page, b)).toHaveAccessibleName(b);
  await bob.page.keyboard.press('Alt+Shift+ArrowDown');
  await expect(channelHeading(bob.page, c)).toBeVisible();
  await expect(channelLink(bob.page, c)).toHaveAccessibleName(c);

  // Alice writes in #a and to Bob directly; from #c, Up skips the read #b and finds #a; Up again
  // wraps round to the direct messages, listed after the channels.
  await openChannel(alice.page, a);
  await sendMessage(alice.page, 'news in a');
  await messageButton(onlineList(alice.page), bob.name).click();
  await expect(channelHeading(alice.page, bob.name)).toBeVisible();
  await sendMessage(alice.page, 'a word in private');
  await expect(channelLink(bob.page, a)).toHaveAccessibleName(badged(a, '1 unread'));
  const dm = linkInList(bob.page, 'Direct messages', alice.name);
  await expect(dm).toHaveAccessibleName(badged(alice.name, '1 unread'));

  await expect(composer).toBeFocused();
  await bob.page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(channelHeading(bob.page, a)).toBeVisible();
  await expect(bob.page.getByText('Editing your message')).toHaveCount(0);
  await bob.page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expect(messagesWith(bob.page, 'a word in private')).toBeVisible();
  await expect(dm).toHaveAccessibleName(alice.name);
  await expect(bob.page).toHaveTitle(/^[^(]/);

  // Nothing unread left: the keys stay put, and do not edit Bob's last message either.
  await sendMessage(bob.page, 'thanks');
  await bob.page.keyboard.press('Alt+Shift+ArrowDown');
  await bob.page.keyboard.press('Alt+Shift+ArrowUp');
  await expect(channelHeading(bob.page, alice.name)).toBeVisible();
  await expect(bob.page.getByText('Editing your message')).toHaveCount(0);
  await expect(composer).toHaveValue('');
  expect(decodeURIComponent(new URL(bob.page.url()).pathname)).toMatch(/^\/c\/dm:/);
});

test('Escape marks the open channel read, for every tab of that person', async ({ newPerson }) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const x = uniqueChannelName('esc-x');
  const y = uniqueChannelName('esc-y');
  await createChannel(alice.page, x);
  await createChannel(alice.page, y);
  await openChannel(bob.page, y);
  await openChannel(bob.page, x);
  const secondTab = await bob.context.newPage();
  await secondTab.goto('/');
  await expect(channelHeading(secondTab, x)).toBeVisible();
  await openChannel(secondTab, y);

  // Bob's first tab, open on #x, is in the background while Alice writes there: unread.
  await setTabHidden(bob.page, true);
  await openChannel(alice.page, x);
  await sendMessage(alice.page, 'while you were away');
  await sendMessage(alice.page, 'and one more');
  await expect(messagesWith(bob.page, 'and one more')).toBeVisible();
  for (const page of [bob.page, secondTab]) {
    await expect(channelLink(page, x)).toHaveAccessibleName(badged(x, '2 unread'));
  }
  await expect(bob.page).toHaveTitle(`(2) #${x} · Flack`);

  await bob.page.keyboard.press('Escape');
  await expect(channelLink(bob.page, x)).toHaveAccessibleName(x);
  await expect(bob.page).toHaveTitle(`#${x} · Flack`);
  await expect(channelLink(secondTab, x)).toHaveAccessibleName(x);
  await expect(secondTab).toHaveTitle(`#${y} · Flack`);
});

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
