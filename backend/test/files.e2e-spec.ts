// Files over HTTP: uploads bounded by size, quotas and rate, typed from their bytes, images cleaned
// of their metadata, served only to the people who may see them, gone with their message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FILES_ACCESS_PATH, LIMITS, THUMBNAIL_MAX_SIDE, type Message } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { FilesService } from '../src/files/files.service.js';
import { download, plainBytes, png, streamUpload, upload, uploaded } from './support/files.js';
import { eventually, next, sendMessage, TestServer, uniqueName, type TestUser } from './support/test-app.js';

const UPLOADS_UNLIMITED = { FILE_UPLOADS_PER_MINUTE: '100000' };

/** A channel `owner` creates, with `others` joined. */
async function channelWith(owner: TestUser, ...others: TestUser[]): Promise<string> {
  const { channel } = await owner.call('channel:create', { name: uniqueName('files') });
  for (const other of others) await other.call('channel:join', { channel: channel.id });
  return channel.id;
}

/** A 200 with the type and disposition given and the headers every file response carries. */
function expectServed(served: { status: number; headers: Headers }, type: string, disposition: string): void {
  expect(served.status).toBe(200);
  expect(Object.fromEntries(served.headers)).toMatchObject({
    'content-type': type,
    'content-disposition': disposition,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-cache',
    'cross-origin-resource-policy': 'same-origin',
  });
}

function send(user: TestUser, channel: string, files: string[], text = ''): Promise<Message> {
  return sendMessage(user, { channel, text, clientId: randomUUID(), files });
}

describe('files', () => {
  let server: TestServer;
  let usage: (userId: string) => Promise<{ user: number; total: number }>;

  beforeAll(async () => {
    server = await TestServer.start(UPLOADS_UNLIMITED);
    const files = server.app.get(FilesService);
    usage = (userId) => files.usage(userId);
  });
  afterAll(() => server.stop());

  describe('upload', () => {
    it('stores an image with its size in pixels and a thumbnail, shown to its uploader', async () => {
      const ada = await server.user(uniqueName('ada'));
      const info = await uploaded(server, ada.session.token, await png(1200, 600), { name: 'sunset.png' });
      expect(info).toEqual({
        id: expect.any(String),
        name: 'sunset.png',
        type: 'image/png',
        size: expect.any(Number),
        image: { width: 1200, height: 600 },
      });
      const file = await download(server, info.id, { token: ada.session.token });
      expect(file.status).toBe(200);
      expect(file.bytes.length).toBe(info.size);
      expect(await sharp(file.bytes).metadata()).toMatchObject({ format: 'png', width: 1200, height: 600 });
      const thumbnail = await download(server, info.id, { token: ada.session.token }, 'thumbnail');
      expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({
        width: THUMBNAIL_MAX_SIDE,
        height: 240,
      });
    });

    it('needs a session: no token or an unknown one is 401 and stores nothing', async () => {
      const before = await usage('nobody');
      for (const token of [null, 'not-a-token']) {
        const answer = await upload(server, token, plainBytes(10));
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe('UNAUTHENTICATED');
      }
      expect(await usage('nobody')).toEqual(before);
    });

    it('is described in the OpenAPI document', async () => {
      const { paths } = (await server.get('/api/docs-json')).body as { paths: Record<string, object> };
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining([
          '/api/files',
          '/api/files/access',
          '/api/files/{id}',
          '/api/files/{id}/thumbnail',
        ]),
      );
      expect(Object.keys(paths['/api/files']!)).toEqual(['post']);
    });

    it('refuses an upload from a page of another site, unread', async () => {
      const ada = await server.user(uniqueName('ada'));
      const answer = await streamUpload(server, ada.session.token, Readable.from([plainBytes(10)]), {
        origin: 'https://evil.example',
      });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body!)).toMatchObject({ code: 'FORBIDDEN' });
      expect(await usage(ada.id)).toEqual({ user: 0, total: expect.any(Number) });
    });

    it('types a file by its bytes, never by the name or the header it came with', async () => {
      const ada = await server.user(uniqueName('ada'));
      const image = await uploaded(server, ada.session.token, await png(10, 10), {
        name: 'page.html',
        contentType: 'text/html',
      });
      expect(image).toMatchObject({ type: 'image/png', name: 'page.html', image: { width: 10, height: 10 } });
      const page = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
      const lying = await uploaded(server, ada.session.token, page, {
        name: 'cat.png',
        contentType: 'image/png',
      });
      expect(lying).toEqual({
        id: lying.id,
        name: 'cat.png',
        type: 'application/octet-stream',
        size: page.length,
      });
      const served = await download(server, lying.id, { token: ada.session.token });
      expect(served.headers.get('content-type')).toBe('application/octet-stream');
      expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    });

    it('accepts a JSON content type as plain bytes too (no body parser reads an upload)', async () => {
      const ada = await server.user(uniqueName('ada'));
      const body = Buffer.from('{"not":"parsed"}');
      const info = await uploaded(server, ada.session.token, body, {
        name: 'data.json',
        contentType: 'application/json',
      });
      expect(info.size).toBe(body.length);
      expect((await download(server, info.id, { token: ada.session.token })).bytes).toEqual(body);
    });

    it('serves an SVG with a script as a download that cannot run', async () => {
      const ada = await server.user(uniqueName('ada'));
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
      );
      const info = await uploaded(server, ada.session.token, svg, {
        name: 'logo.svg',
        contentType: 'image/svg+xml',
      });
      expect(info.image).toBeUndefined();
      expect(info.type).not.toMatch(/svg|html/);
      const served = await download(server, info.id, { token: ada.session.token });
      expectServed(
        served,
        'application/octet-stream',
        `attachment; filename="logo.svg"; filename*=UTF-8''logo.svg`,
      );
      expect(served.bytes).toEqual(svg);
      expect((await download(server, info.id, { token: ada.session.token }, 'thumbnail')).status).toBe(404);
    });

    it('keeps names from traversing paths or breaking headers, and keeps their Unicode', async () => {
      const ada = await server.user(uniqueName('ada'));
      const cases: [string, string][] = [
        ['../../etc/passwd', 'passwd'],
        ['..\\..\\boot.ini', 'boot.ini'],
        ['a"b\r\nX-Evil: 1.txt', 'a"bX-Evil: 1.txt'],
        ['\u202Egnp.exe', 'gnp.exe'],
        ['Résumé 📄.pdf', 'Résumé 📄.pdf'],
        ['...', 'file'],
      ];
      for (const [raw, cleaned] of cases) {
        const info = await uploaded(server, ada.session.token, plainBytes(3), { name: raw });
        expect(info.name).toBe(cleaned);
        const served = await download(server, info.id, { token: ada.session.token });
        expect(served.headers.get('x-evil')).toBeNull();
        const disposition = served.headers.get('content-disposition')!;
        expect(disposition).toMatch(
          /^attachment; filename="[\x20-\x21\x23-\x7e]*"; filename\*=UTF-8''[^'"\s;]+$/,
        );
        expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(cleaned);
      }
      const byHeader = await upload(server, ada.session.token, plainBytes(3), {
        headers: { 'x-file-name': encodeURIComponent('Ünïcode name.txt') },
      });
      expect(byHeader.body.name).toBe('Ünïcode name.txt');
    });

    it('returns a JPEG without its EXIF: no GPS position, no camera, upright', async () => {
      const ada = await server.user(uniqueName('ada'));
      const original = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#c0ffee' } })
        .jpeg()
        .withExif({
          IFD0: { Make: 'FlackCam', Copyright: 'Ada at home' },
          IFD3: {
            GPSLatitudeRef: 'N',
            GPSLatitude: '48/1 51/1 30/1',
            GPSLongitudeRef: 'E',
            GPSLongitude: '2/1 17/1 40/1',
          },
        })
        .withMetadata({ orientation: 6 })
        .toBuffer();
      const before = await sharp(original).metadata();
      expect(before.orientation).toBe(6);
      expect(before.exif?.includes('FlackCam')).toBe(true);
      expect(before.exif?.indexOf(Buffer.from([0x25, 0x88]))).toBeGreaterThan(0); // the GPS IFD pointer
      const info = await uploaded(server, ada.session.token, original, { name: 'home.jpg' });
      // Orientation 6 is a quarter turn: the stored pixels are turned, and the size says so.
      expect(info).toMatchObject({ type: 'image/jpeg', image: { width: 32, height: 64 } });
      for (const variant of ['content', 'thumbnail'] as const) {
        const served = await download(server, info.id, { token: ada.session.token }, variant);
        const after = await sharp(served.bytes).metadata();
        expect(after.exif).toBeUndefined();
        expect(after.orientation).toBeUndefined();
        expect(served.bytes.includes('FlackCam')).toBe(false);
        expect(served.bytes.includes('Ada at home')).toBe(false);
      }
    });

    it('keeps the frames of an animated GIF', async () => {
      const ada = await server.user(uniqueName('ada'));
      const frames = await Promise.all(
        ['#ff0000', '#00ff00', '#0000ff'].map((background) =>
          sharp({ create: { width: 20, height: 10, channels: 3, background } })
            .png()
            .toBuffer(),
        ),
      );
      const gif = await sharp(frames, { join: { animated: true } })
        .gif()
        .toBuffer();
      const info = await uploaded(server, ada.session.token, gif, { name: 'blink.gif' });
      expect(info).toMatchObject({ type: 'image/gif', image: { width: 20, height: 10 } });
      const served = await download(server, info.id, { token: ada.session.token });
      expect((await sharp(served.bytes, { animated: true }).metadata()).pages).toBe(3);
    });

    it('refuses an image it cannot read rather than keep its metadata', async () => {
      const ada = await server.user(uniqueName('ada'));
      const broken = Buffer.concat([(await png(10, 10)).subarray(0, 40), plainBytes(200, 0)]);
      const answer = await upload(server, ada.session.token, broken, { name: 'broken.png' });
      expect(answer.status).toBe(415);
      expect(answer.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await usage(ada.id)).toEqual({ user: 0, total: expect.any(Number) });
    });
  });

  it('tells a person the limits (the defaults here), and what they have stored', async () => {
    const eve = await server.user(uniqueName('eve'));
    const limits = () =>
      fetch(`${server.url}/api/files/limits`, {
        headers: { authorization: `Bearer ${eve.session.token}` },
      }).then(async (r) => ({
        status: r.status,
        cache: r.headers.get('cache-control'),
        body: await r.json(),
      }));
    expect(await limits()).toEqual({
      status: 200,
      cache: 'no-store',
      body: {
        maxFileBytes: 10 * 1024 * 1024,
        filesPerMessage: LIMITS.filesPerMessage,
        quotaBytes: 50 * 1024 * 1024,
        usedBytes: 0,
      },
    });
    expect((await upload(server, eve.session.token, plainBytes(700))).status).toBe(201);
    expect((await limits()).body.usedBytes).toBe(700);
    const anonymous = await fetch(`${server.url}/api/files/limits`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).code).toBe('UNAUTHENTICATED');
  });

  describe('in messages, to members only', () => {
    it('attaches uploads to a message that members see, and serves them to members only', async () => {
      const [ada, bob, cy] = await Promise.all(['ada', 'bob', 'cy'].map((n) => server.user(uniqueName(n))));
      const channel = await channelWith(ada, bob);
      const image = await uploaded(server, ada.session.token, await png(640, 480), { name: 'cat.png' });
      const notes = await uploaded(server, ada.session.token, plainBytes(50), { name: 'notes.txt' });
      // Before it is sent, an upload is its uploader's alone.
      expect((await download(server, image.id, { token: bob.session.token })).status).toBe(404);

      const heard = next(bob.socket, 'message:new');
      const sent = await send(ada, channel, [image.id, notes.id]);
      expect(sent).toMatchObject({ text: '', files: [image, notes] });
      expect((await heard).files).toEqual([image, notes]);
      expect((await bob.call('channel:history', { channel })).messages.at(-1)?.files).toEqual([image, notes]);

      const asBob = await download(server, image.id, { token: bob.session.token });
      expectServed(asBob, 'image/png', `inline; filename="cat.png"; filename*=UTF-8''cat.png`);
      expect((await download(server, image.id, { token: bob.session.token }, 'thumbnail')).status).toBe(200);
      expect((await download(server, notes.id, { token: bob.session.token })).bytes).toEqual(plainBytes(50));

      // Not a member, no session, a made-up token, a guessed id: all the same 404.
      const refusals = [
        await download(server, image.id, { token: cy.session.token }),
        await download(server, image.id, { token: cy.session.token }, 'thumbnail'),
        await download(server, image.id),
        await download(server, image.id, { token: 'made-up' }),
        await download(server, randomUUID(), { token: bob.session.token }),
        await download(server, 'not-an-id', { token: bob.session.token }),
      ];
      for (const refusal of refusals) {
        expect(refusal.status).toBe(404);
        expect(JSON.parse(refusal.bytes.toString())).toMatchObject({ code: 'NOT_FOUND' });
      }

      // A former member loses them.
      await bob.call('channel:leave', { channel });
      expect((await download(server, image.id, { token: bob.session.token })).status).toBe(404);
      expect((await download(server, image.id, { token: ada.session.token })).status).toBe(200);
    });

    it('answers a revalidation with 304 only to someone who may still see the file', async () => {
      const [ada, bob] = await Promise.all(['ada', 'bob'].map((n) => server.user(uniqueName(n))));
      const channel = await channelWith(ada, bob);
      const info = await uploaded(server, ada.session.token, plainBytes(20));
      await send(ada, channel, [info.id]);
      const first = await download(server, info.id, { token: bob.session.token });
      const etag = first.headers.get('etag')!;
      const again = await fetch(`${server.url}/api/files/${info.id}`, {
        headers: { authorization: `Bearer ${bob.session.token}`, 'if-none-match': etag },
      });
      expect(again.status).toBe(304);
      await bob.call('channel:leave', { channel });
      const after = await fetch(`${server.url}/api/files/${info.id}`, {
        headers: { authorization: `Bearer ${bob.session.token}`, 'if-none-match': etag },
      });
      expect(after.status).toBe(404);
    });

    it('lets an <img> in: POST /api/files/access sets an HttpOnly, SameSite=Strict cookie the file routes accept', async () => {
      const [ada, bob] = await Promise.all(['ada', 'bob'].map((n) => server.user(uniqueName(n))));
      const channel = await channelWith(ada, bob);
      const info = await uploaded(server, ada.session.token, await png(20, 20));
      await send(ada, channel, [info.id]);
      const granted = await fetch(server.url + FILES_ACCESS_PATH, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob.session.token}` },
      });
      expect(granted.status).toBe(204);
      const setCookie = granted.headers.get('set-cookie')!;
      expect(setCookie).toBe(`flack_files=${bob.session.token}; Path=/api/files; HttpOnly; SameSite=Strict`);
      const cookie = setCookie.split(';')[0]!;
      expect((await download(server, info.id, { cookie })).status).toBe(200);
      expect((await download(server, info.id, { cookie: 'flack_files=forged' })).status).toBe(404);
      const refused = await fetch(server.url + FILES_ACCESS_PATH, { method: 'POST' });
      expect(refused.status).toBe(401);
      const cleared = await fetch(server.url + FILES_ACCESS_PATH, { method: 'DELETE' });
      expect(cleared.headers.get('set-cookie')).toMatch(/^flack_files=; .*Max-Age=0/);
    });

    it("attaches only the sender's own unattached uploads, at most ten, and says why not", async () => {
      const [ada, bob] = await Promise.all(['ada', 'bob'].map((n) => server.user(uniqueName(n))));
      const channel = await channelWith(ada, bob);
      const bobs = await uploaded(server, bob.session.token, plainBytes(5));
      const theirs = await ada.fail('message:send', {
        channel,
        text: 'look',
        clientId: randomUUID(),
        files: [bobs.id],
      });
      expect(theirs.code).toBe('NOT_FOUND');
      expect(theirs.message).toMatch(/Upload it again/);
      expect((await download(server, bobs.id, { token: ada.session.token })).status).toBe(404);

      const once = await uploaded(server, ada.session.token, plainBytes(5));
      await send(ada, channel, [once.id]);
      const twice = await ada.fail('message:send', {
        channel,
        text: '',
        clientId: randomUUID(),
        files: [once.id],
      });
      expect(twice).toMatchObject({ code: 'INVALID', message: expect.stringMatching(/already attached/) });

      const eleven = await Promise.all(
        Array.from({ length: 11 }, () => uploaded(server, ada.session.token, plainBytes(1))),
      );
      const tooMany = await ada.fail('message:send', {
        channel,
        text: '',
        clientId: randomUUID(),
        files: eleven.map((file) => file.id),
      });
      expect(tooMany.code).toBe('INVALID');
      expect(JSON.stringify(tooMany)).toMatch(`at most ${LIMITS.filesPerMessage} files`);
      const ten = await send(
        ada,
        channel,
        eleven.slice(0, 10).map((file) => file.id),
      );
      expect(ten.files).toHaveLength(10);

      const empty = await ada.fail('message:send', { channel, text: '', clientId: randomUUID() });
      expect(empty.code).toBe('INVALID');
      const bad = await ada.fail('message:send', {
        channel,
        text: 'x',
        clientId: randomUUID(),
        files: ['nope'],
      });
      expect(bad.code).toBe('INVALID');
      const repeated = await ada.fail('message:send', {
        channel,
        text: 'x',
        clientId: randomUUID(),
        files: [eleven[10]!.id, eleven[10]!.id],
      });
      expect(JSON.stringify(repeated)).toMatch(/listed twice/);
    });

    it('stores a retry once, with its files', async () => {
      const ada = await server.user(uniqueName('ada'));
      const channel = await channelWith(ada);
      const info = await uploaded(server, ada.session.token, plainBytes(5));
      const payload = { channel, text: 'again', clientId: randomUUID(), files: [info.id] };
      const first = await sendMessage(ada, payload);
      const retry = await sendMessage(ada, payload);
      expect(retry).toEqual(first);
      expect(retry.files).toEqual([info]);
      expect((await ada.call('channel:history', { channel })).messages).toHaveLength(1);
    });
  });

  describe('lifecycle and quota accounting', () => {
    it("frees a deleted message's files for everyone, to the byte", async () => {
      const [ada, bob] = await Promise.all(['ada', 'bob'].map((n) => server.user(uniqueName(n))));
      const channel = await channelWith(ada, bob);
      const before = await usage(ada.id);
      const image = await uploaded(server, ada.session.token, await png(800, 800));
      const notes = await uploaded(server, ada.session.token, plainBytes(777));
      const held = await usage(ada.id);
      expect(held.user).toBeGreaterThan(777 + image.size); // the thumbnail counts too
      expect(held.total - before.total).toBe(held.user);
      const sent = await send(ada, channel, [image.id, notes.id], 'two files');
      await ada.call('message:delete', { channel, id: sent.id });
      for (const id of [image.id, notes.id]) {
        expect((await download(server, id, { token: bob.session.token })).status).toBe(404);
        expect((await download(server, id, { token: ada.session.token })).status).toBe(404);
      }
      expect(await usage(ada.id)).toEqual({ user: 0, total: before.total });
    });

    it('frees the files of a message that leaves the 100-message window', async () => {
      const ada = await server.user(uniqueName('ada'));
      const channel = await channelWith(ada);
      const before = await usage(ada.id);
      const info = await uploaded(server, ada.session.token, plainBytes(300));
      await send(ada, channel, [info.id], 'first');
      for (let i = 0; i < LIMITS.historySize - 1; i++) {
        await ada.call('message:send', { channel, text: `m${i}`, clientId: randomUUID() });
      }
      expect((await download(server, info.id, { token: ada.session.token })).status).toBe(200);
      await ada.call('message:send', { channel, text: 'the 101st', clientId: randomUUID() });
      await eventually('the evicted file to go', async () => (await usage(ada.id)).user === 0);
      expect((await download(server, info.id, { token: ada.session.token })).status).toBe(404);
      expect((await usage(ada.id)).total).toBe(before.total);
    });

    it("frees a removed channel's files", async () => {
      const ada = await server.user(uniqueName('ada'));
      const channel = await channelWith(ada);
      const info = await uploaded(server, ada.session.token, plainBytes(123));
      await send(ada, channel, [info.id]);
      expect((await usage(ada.id)).user).toBe(123);
      await ada.call('channel:leave', { channel });
      expect((await usage(ada.id)).user).toBe(0);
    });

    it("frees a released name's unsent uploads", async () => {
      const ada = await server.user(uniqueName('ada'));
      await uploaded(server, ada.session.token, plainBytes(40));
      const total = (await usage(ada.id)).total;
      await ada.call('session:forget');
      await eventually('the upload to go', async () => (await usage(ada.id)).total === total - 40);
      expect((await usage(ada.id)).user).toBe(0);
    });
  });
});

describe('files nobody sends', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ ...UPLOADS_UNLIMITED, FILE_UNREFERENCED_TTL_MS: '300' });
  });
  afterAll(() => server.stop());

  it('are removed after FILE_UNREFERENCED_TTL_MS, with their bytes', async () => {
    const ada = await server.user(uniqueName('ada'));
    const files = server.app.get(FilesService);
    const info = await uploaded(server, ada.session.token, plainBytes(64));
    expect((await files.usage(ada.id)).user).toBe(64);
    await eventually('the upload to expire', async () => (await files.usage(ada.id)).user === 0);
    expect((await download(server, info.id, { token: ada.session.token })).status).toBe(404);
    const late = await ada.fail('message:send', {
      channel: await channelWith(ada),
      text: '',
      clientId: randomUUID(),
      files: [info.id],
    });
    expect(late.code).toBe('NOT_FOUND');
  });
});

describe('file limits, just under and just over', () => {
  const MAX = 1000;
  const TOTAL = 6000;
  let server: TestServer;
  let usage: (userId: string) => Promise<{ user: number; total: number }>;

  beforeAll(async () => {
    server = await TestServer.start({
      FILE_MAX_BYTES: String(MAX),
      FILES_MAX_BYTES_PER_USER: '2500',
      FILES_MAX_TOTAL_BYTES: String(TOTAL),
      FILE_UPLOADS_PER_MINUTE: '5',
    });
    const files = server.app.get(FilesService);
    usage = (userId) => files.usage(userId);
  });
  afterAll(() => server.stop());

  it('takes a file of FILE_MAX_BYTES and refuses one byte more, declared or streamed, storing nothing', async () => {
    const ada = await server.user(uniqueName('ada'));
    expect((await upload(server, ada.session.token, plainBytes(MAX))).status).toBe(201);
    const declared = await upload(server, ada.session.token, plainBytes(MAX + 1));
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual({ code: 'TOO_LARGE', message: 'A file can be at most 1 kB.' });
    const streamed = await streamUpload(
      server,
      ada.session.token,
      Readable.from([plainBytes(600), plainBytes(401)]),
    );
    expect(streamed.status ?? streamed.error).toBe(413);
    const exact = await streamUpload(
      server,
      ada.session.token,
      Readable.from([plainBytes(600), plainBytes(400)]),
    );
    expect(exact.status).toBe(201);
    expect(await usage(ada.id)).toEqual({ user: 2 * MAX, total: 2 * MAX });
  });

  it('holds each person to FILES_MAX_BYTES_PER_USER and everyone to FILES_MAX_TOTAL_BYTES', async () => {
    const [bob, cy] = await Promise.all(['bob', 'cy'].map((n) => server.user(uniqueName(n))));
    const start = (await usage(bob.id)).total;
    // Bob: 1000 + 1000 + 500 = his 2500 exactly; one byte more is refused, before it is read.
    for (const size of [1000, 1000, 500])
      expect((await upload(server, bob.session.token, plainBytes(size))).status).toBe(201);
    const overMine = await upload(server, bob.session.token, plainBytes(1));
    expect(overMine.status).toBe(413);
    expect(overMine.body.code).toBe('QUOTA_EXCEEDED');
    expect(overMine.body.message).toMatch(/your 2.5 kB/);
    expect(await usage(bob.id)).toEqual({ user: 2500, total: start + 2500 });
    // Cy fills what is left of the server's TOTAL, then one byte more is refused.
    const left = TOTAL - (start + 2500);
    expect(left).toBe(1500);
    expect((await upload(server, cy.session.token, plainBytes(1000))).status).toBe(201);
    // The last 500 as a chunked body: its step ahead does not fit, its bytes do.
    const last = await streamUpload(
      server,
      cy.session.token,
      Readable.from([plainBytes(300), plainBytes(200)]),
    );
    expect(last.status).toBe(201);
    const overAll = await upload(server, cy.session.token, plainBytes(1));
    expect(overAll.status).toBe(413);
    expect(overAll.body).toMatchObject({ code: 'QUOTA_EXCEEDED', message: expect.stringMatching(/no room/) });
    // A chunked upload is held to the quota as it arrives too.
    const streamed = await streamUpload(server, cy.session.token, Readable.from([plainBytes(1)]));
    expect(streamed.status ?? streamed.error).toBe(413);
    expect(await usage(cy.id)).toEqual({ user: left, total: TOTAL });
  });

  it('tells the app the limits as configured, so it can refuse a file before uploading it', async () => {
    const fay = await server.user(uniqueName('fay'));
    const response = await fetch(`${server.url}/api/files/limits`, {
      headers: { authorization: `Bearer ${fay.session.token}` },
    });
    expect(await response.json()).toMatchObject({ maxFileBytes: MAX, quotaBytes: 2500 });
  });

  it('rate-limits uploads per person', async () => {
    const dee = await server.user(uniqueName('dee'));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await upload(server, dee.session.token, plainBytes(0))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});

describe('a 1 GB upload', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start(UPLOADS_UNLIMITED);
  });
  afterAll(() => server.stop());

  it('is refused from its declared length before a byte of it is read', async () => {
    const ada = await server.user(uniqueName('ada'));
    let sent = 0;
    const body = new Readable({
      read() {
        sent += 65536;
        this.push(sent > 2 ** 30 ? null : Buffer.alloc(65536));
      },
    });
    const answer = await streamUpload(server, ada.session.token, body, { 'content-length': String(2 ** 30) });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body!)).toMatchObject({ code: 'TOO_LARGE' });
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('streamed without a length, is cut off at FILE_MAX_BYTES with memory staying flat and nothing stored', async () => {
    const ada = await server.user(uniqueName('ada'));
    const files = server.app.get(FilesService);
    const before = process.memoryUsage();
    let sent = 0;
    const chunk = Buffer.alloc(65536, 1);
    const body = new Readable({
      read() {
        sent += chunk.length;
        this.push(sent > 2 ** 30 ? null : chunk);
      },
    });
    const answer = await streamUpload(server, ada.session.token, body);
    const after = process.memoryUsage();
    // Either the 413 arrives, or the connection is closed on the sender mid-write.
    if (answer.status !== undefined) expect(answer.status).toBe(413);
    else expect(answer.error).toMatch(/ECONNRESET|EPIPE/);
    // The server stopped reading at 10 MB: the sender got no further than that and the socket buffers.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(after.rss - before.rss).toBeLessThan(100 * 1024 * 1024);
    expect(await files.usage(ada.id)).toEqual({ user: 0, total: 0 });
  });
});
