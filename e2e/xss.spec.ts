import {
  channelHeading,
  channelLink,
  createChannel,
  messagesWith,
  openChannel,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { randomSuffix } from './support/names';

// The newPerson fixture fails the test if any dialog opens (alert(1) below) or a page error is thrown.
const markup = '<img src=x onerror=alert(1)>';

test('markup in a name, a channel and a message shows as text and runs nothing', async ({
  newPerson,
  saveScreen,
}) => {
  // 28 characters of markup leave room for a short suffix within the 32 of a display name.
  const alice = await newPerson('markup-author', { name: `${markup}${randomSuffix(4)}` });
  const channel = `${markup} ${randomSuffix()}`;
  const text = `${markup} says hello`;
  await createChannel(alice.page, channel);
  await sendMessage(alice.page, text);

  const bob = await newPerson('bob');
  await openChannel(bob.page, channel);

  for (const { page } of [alice, bob]) {
    await expect(channelLink(page, channel)).toBeVisible();
    await expect(channelHeading(page, channel)).toBeVisible();
    const message = messagesWith(page, text);
    await expect(message).toContainText(alice.name);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    await expect(page.locator('[onerror]')).toHaveCount(0);
  }
  await expect(alice.page.getByText(alice.name, { exact: true }).first()).toBeVisible();
  await saveScreen(bob.page, 'markup-as-text');
});

test('the Content-Security-Policy blocks injected inline script and the app still works under it', async ({
  newPerson,
}) => {
  const alice = await newPerson('csp-checker');
  const response = await alice.page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
  expect(scriptSrc).toContain("'self'");
  expect(scriptSrc).not.toContain('unsafe-inline');

  // Even if markup slipped into the page, an inline script would not run.
  const outcome = await alice.page.evaluate(
    () =>
      new Promise<{ ran: boolean; violation: string }>((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (event) => resolve({ ran: 'injected' in window, violation: event.violatedDirective }),
          { once: true },
        );
        const script = document.createElement('script');
        script.textContent = 'window.injected = true;';
        document.body.append(script);
      }),
  );
  expect(outcome.ran).toBe(false);
  expect(outcome.violation).toMatch(/^script-src/);

  // The app itself runs under that policy: the person is signed in and can create a channel.
  const channel = `csp-${randomSuffix()}`;
  await createChannel(alice.page, channel);
  await expect(channelHeading(alice.page, channel)).toBeVisible();
});
