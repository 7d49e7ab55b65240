// Files and images (issue 14): attach by the paperclip, by drop and by paste; the upload's progress;
// the other person sees the image inline and in the lightbox and downloads a file card; deleting the
// message takes its files away for everyone; someone outside the channel gets 404 for the file URL.
import type { Locator, Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import {
  createChannel,
  expectDelivered,
  login,
  messagesWith,
  openChannel,
  screen,
  sendMessage,
} from './support/chat';
import { expect, test } from './support/fixtures';
import { uniqueChannelName } from './support/names';
import { networkSwitch } from './support/network';

interface Fixture {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A `width`x`height` image of one colour, made here so the spec needs no binary files. */
async function image(name: string, width: number, height: number, format: 'png' | 'jpeg'): Promise<Fixture> {
  const picture = sharp({
    create: { width, height, channels: 3, background: { r: 80, g: 120, b: 220 } },
  });
  const buffer = await (format === 'png' ? picture.png() : picture.jpeg()).toBuffer();
  return { name, mimeType: `image/${format}`, buffer };
}

/** Random bytes do not compress: with the upload throttled, the bar stays up long enough to see. */
async function noisyPng(name: string, side: number): Promise<Fixture> {
  const raw = randomBytes(side * side * 3);
  const buffer = await sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
  return { name, mimeType: 'image/png', buffer };
}

function textFile(name: string, text: string): Fixture {
  return { name, mimeType: 'text/plain', buffer: Buffer.from(text) };
}

/** The paperclip, as a person uses it: the button opens the file chooser. */
async function attachByButton(page: Page, files: Fixture[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles(files);
}

/** What the browser does when files from the desktop are dropped onto the channel. */
async function drop(target: Locator, file: Fixture): Promise<void> {
  await target.evaluate(
    (element, { name, mimeType, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        element.dispatchEvent(
          new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
  );
}

/** Pasting an image copied from another program: the clipboard holds a file. */
async function paste(target: Locator, file: Fixture): Promise<void> {
  await target.evaluate(
    (element, { name, mimeType, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      element.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
      );
    },
    { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
  );
}

function tray(page: Page): Locator {
  return page.getByRole('region', { name: 'Attached files' });
}

/** The thumbnail's button in a message; its image has loaded (the file cookie works). */
async function expectImageShown(message: Locator, name: string): Promise<void> {
  const thumbnail = message.getByRole('button', { name: `Open image ${name}` });
  await expect(thumbnail).toBeVisible();
  const img = thumbnail.getByRole('img', { name });
  await expect(img).toBeVisible();
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
    .toBeGreaterThan(0);
}

test('a photo and a file by the paperclip: progress, then the other person sees the image, opens the lightbox, downloads the file; deleting takes both away', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('files');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);

  // A slow uplink (about 40 kB/s), so the upload is still going while we look at it and send; it
  // is lifted once the message is seen waiting.
  const cdp = await alice.context.newCDPSession(alice.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 40 * 1024,
  });
  const photo = await noisyPng('beach.png', 300);
  const second = await image('sunset.jpg', 640, 480, 'jpeg');
  await attachByButton(alice.page, [photo, second, textFile('notes.txt', 'bring snacks')]);
  const bar = tray(alice.page).getByRole('progressbar', { name: 'Uploading beach.png' });
  await expect(bar).toBeVisible();
  await expect
    .poll(() => bar.getAttribute('aria-valuenow').then(Number), { timeout: 7_000 })
    .toBeGreaterThan(0);
  await saveScreen(alice.page, 'files-uploading');
  // Sent while still uploading: the message waits for its files, then goes.
  await screen(alice.page).composer.fill('holiday pictures');
  await screen(alice.page).composer.press('Enter');
  await expect(tray(alice.page)).toBeHidden();
  await expect(messagesWith(alice.page, 'holiday pictures')).toContainText('Sending…');
  await saveScreen(alice.page, 'files-message-waiting');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: -1,
  });
  await expectDelivered(messagesWith(alice.page, 'holiday pictures'));

  const message = messagesWith(bob.page, 'holiday pictures');
  await expectImageShown(message, 'beach.png');
  await expectImageShown(message, 'sunset.jpg');
  // Sized from FileInfo.image before loading: 640x480 shares the row at 200x150.
  const box = await message.getByRole('button', { name: 'Open image sunset.jpg' }).boundingBox();
  expect(Math.round(box!.width)).toBe(200);
  expect(Math.round(box!.height)).toBe(150);
  const card = message.getByRole('link', { name: 'Download notes.txt, 12 bytes' });
  await expect(card).toBeVisible();
  await saveScreen(bob.page, 'files-in-message');
  await bob.page.emulateMedia({ colorScheme: 'dark' });
  await saveScreen(bob.page, 'files-in-message-dark');
  await bob.page.emulateMedia({ colorScheme: 'light' });

  // The lightbox: a modal dialog, Right to the next image, Escape closes it.
  await message.getByRole('button', { name: 'Open image beach.png' }).click();
  const lightbox = bob.page.getByRole('dialog', { name: 'beach.png' });
  await expect(lightbox).toBeVisible();
  await expect(lightbox.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect(lightbox.getByRole('link', { name: 'Download' })).toBeVisible();
  await bob.page.keyboard.press('ArrowRight');
  await expect(bob.page.getByRole('dialog', { name: 'sunset.jpg' })).toBeVisible();
  await expect(bob.page.getByRole('dialog').getByText('2 of 2')).toBeVisible();
  await saveScreen(bob.page, 'files-lightbox');
  await bob.page.keyboard.press('Escape');
  await expect(bob.page.getByRole('dialog')).toBeHidden();

  // The card downloads the file under its name.
  const download = bob.page.waitForEvent('download');
  await card.click();
  expect((await download).suggestedFilename()).toBe('notes.txt');

  // Deleted by its author: gone for everyone, and the file URL answers 404.
  const src = await message.getByRole('img', { name: 'beach.png' }).getAttribute('src');
  const own = messagesWith(alice.page, 'holiday pictures');
  await own.hover();
  await own.getByRole('button', { name: 'Delete', exact: true }).click();
  await own.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(messagesWith(bob.page, 'holiday pictures')).toHaveCount(0);
  await expect(bob.page.getByRole('button', { name: /^Open image/ })).toHaveCount(0);
  expect((await bob.page.request.get(src!)).status()).toBe(404);
});

test('an image dropped onto the channel and one pasted into the field go in one message without text', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('drop');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);

  await drop(screen(alice.page).messageLog, await image('dropped.png', 300, 200, 'png'));
  await paste(screen(alice.page).composer, await image('pasted.png', 120, 90, 'png'));
  await expect(tray(alice.page).getByText('dropped.png')).toBeVisible();
  await expect(tray(alice.page).getByText('pasted.png')).toBeVisible();
  await expect(tray(alice.page).getByText('Uploaded')).toHaveCount(2);
  // No text: the files are the message.
  await screen(alice.page).composer.press('Enter');
  await expect(tray(alice.page)).toBeHidden();

  const message = screen(bob.page).messages.filter({
    has: bob.page.getByRole('button', { name: 'Open image dropped.png' }),
  });
  await expectImageShown(message, 'dropped.png');
  await expectImageShown(message, 'pasted.png');
});

test('someone outside the channel gets 404 for the file URL, a member gets the file', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob');
  const carol = await newPerson('carol');
  const channel = uniqueChannelName('private');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);
  await attachByButton(alice.page, [await image('secret.png', 64, 64, 'png')]);
  await expect(tray(alice.page).getByText('Uploaded')).toBeVisible();
  await sendMessage(alice.page, 'for members only');
  const img = messagesWith(bob.page, 'for members only').getByRole('img', { name: 'secret.png' });
  await expect(img).toBeVisible();
  const thumbnail = (await img.getAttribute('src'))!;
  const file = thumbnail.replace(/\/thumbnail$/, '');

  expect((await bob.page.request.get(file)).status()).toBe(200);
  // Carol is signed in (her file cookie is set) but not a member.
  for (const url of [file, thumbnail]) expect((await carol.page.request.get(url)).status()).toBe(404);
});

test('on a dark phone an image and a file card fit the screen, and every file control is a 44 px target', async ({
  newPerson,
  saveScreen,
}) => {
  const alice = await newPerson('alice');
  const bob = await newPerson('bob', {
    viewport: { width: 390, height: 844 },
    hasTouch: true,
    isMobile: true,
    colorScheme: 'dark',
  });
  const channel = uniqueChannelName('phone');
  await createChannel(alice.page, channel);
  await bob.page.goto(`/c/${channel}`);
  await expect(screen(bob.page).composer).toBeVisible();
  await attachByButton(alice.page, [
    await image('wide landscape photo.jpg', 1600, 900, 'jpeg'),
    textFile('a very long file name that will not fit on one line of a phone.txt', 'hello'),
  ]);
  await expect(tray(alice.page).getByText('Uploaded')).toHaveCount(2);
  await saveScreen(alice.page, 'files-tray-desktop-light');
  await sendMessage(alice.page, 'from the trip');

  const message = messagesWith(bob.page, 'from the trip');
  await expectImageShown(message, 'wide landscape photo.jpg');
  const card = message.getByRole('link', { name: /^Download a very long file name/ });
  for (const control of [message.getByRole('button', { name: /^Open image/ }), card]) {
    const box = (await control.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  // The name is cut with an ellipsis rather than widening the page.
  expect(await bob.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await saveScreen(bob.page, 'files-phone-dark');
  await bob.page.emulateMedia({ colorScheme: 'light' });
  await saveScreen(bob.page, 'files-phone-light');
  await bob.page.emulateMedia({ colorScheme: 'dark' });

  // Bob attaches too: the paperclip and the tray's controls are finger-sized.
  await attachByButton(bob.page, [textFile('reply.txt', 'ok')]);
  await expect(tray(bob.page).getByText('Uploaded')).toBeVisible();
  for (const control of [
    bob.page.getByRole('button', { name: 'Attach files' }),
    tray(bob.page).getByRole('button', { name: 'Remove reply.txt' }),
  ]) {
    const box = (await control.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
  }
  await saveScreen(bob.page, 'files-phone-dark-tray');
  await message.getByRole('button', { name: /^Open image/ }).click();
  await expect(bob.page.getByRole('dialog', { name: 'wide landscape photo.jpg' })).toBeVisible();
  await saveScreen(bob.page, 'files-phone-dark-lightbox');
});

test('a file picked while the server is unreachable waits, then uploads and is sent once back', async ({
  newPerson,
}) => {
  const alice = await newPerson('alice', { signIn: false });
  const network = await networkSwitch(alice.page);
  await login(alice.page, alice.name);
  const bob = await newPerson('bob');
  const channel = uniqueChannelName('offline-file');
  await createChannel(alice.page, channel);
  await openChannel(bob.page, channel);

  await network.cut();
  await attachByButton(alice.page, [await image('offline.png', 80, 60, 'png')]);
  await expect(tray(alice.page).getByText('Waiting to upload')).toBeVisible();
  await screen(alice.page).composer.fill('written offline');
  await screen(alice.page).composer.press('Enter');
  const pending = messagesWith(alice.page, 'written offline');
  await expect(pending).toContainText('Waiting for connection…');
  await expect(pending).toContainText('offline.png');

  await network.restore();
  // Reconnected (restore() moved the page's clock past the back-off): the rest takes real time.
  await expect(pending).not.toContainText('Waiting for connection…', { timeout: 15_000 });
  await expectDelivered(messagesWith(alice.page, 'written offline'));
  await expectImageShown(messagesWith(bob.page, 'written offline'), 'offline.png');
});
