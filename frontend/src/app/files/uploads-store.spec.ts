import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FILES_LIMITS_PATH, type FileInfo, type FileLimits } from '@flack/contract';
import { FakeSocket, provideFakeServer, settle, snapshot } from '../../testing/fake-socket';
import { RequestError } from '../core/app-error';
import { FETCH } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { UPLOAD_TRANSPORT, UploadCancelled, type UploadRequest } from './upload-transport';
import { UploadsStore } from './uploads-store';
import { FileLimitsStore } from './file-limits';

/** One request the store made, answered by the test. */
interface FakeUpload {
  request: UploadRequest;
  resolve(info: FileInfo): void;
  reject(error: unknown): void;
  aborted: boolean;
}

/** This test server's limits, as `GET /api/files/limits` answers them (not the default 10 MB). */
const LIMITS_HERE: FileLimits = {
  maxFileBytes: 1_000_000,
  filesPerMessage: 10,
  quotaBytes: 5_000_000,
  usedBytes: 0,
};

describe('UploadsStore', () => {
  let fake: FakeSocket;
  let limitsAnswer: () => Pick<Response, 'ok' | 'status' | 'json'>;
  const answer = (status: number, body?: unknown) => () => ({
    ok: status < 300,
    status,
    json: () => Promise.resolve(body),
  });
  let store: UploadsStore;
  let requests: FakeUpload[];

  const info = (name: string): FileInfo => ({ id: `id-${name}`, name, type: 'image/png', size: 3 });
  const file = (name: string, size = 3) => new File([new Uint8Array(size)], name, { type: 'image/png' });
  const states = () => store.uploads().map((upload) => [upload.name, upload.state]);

  beforeEach(async () => {
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    requests = [];
    limitsAnswer = answer(200, LIMITS_HERE);
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        {
          provide: FETCH,
          useValue: (url: string) =>
            Promise.resolve(url === FILES_LIMITS_PATH ? limitsAnswer() : answer(204)()),
        },
        {
          provide: UPLOAD_TRANSPORT,
          useValue: (request: UploadRequest) => {
            let settle!: Pick<FakeUpload, 'resolve' | 'reject'>;
            const done = new Promise<FileInfo>((resolve, reject) => (settle = { resolve, reject }));
            const upload: FakeUpload = { request, ...settle, aborted: false };
            requests.push(upload);
            return {
              done,
              abort: () => {
                upload.aborted = true;
                upload.reject(new UploadCancelled());
              },
            };
          },
        },
      ],
    });
    store = TestBed.inject(UploadsStore);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  });

  it('uploads with the session token and shows the progress, then the stored file', async () => {
    store.add('general', [file('cat.png')]);
    expect(requests).toHaveLength(1);
    expect(requests[0].request.token).toBe('token-for-Alice');
    expect(requests[0].request.name).toBe('cat.png');

    requests[0].request.onProgress(1, 4);
    expect(store.uploads()[0]).toMatchObject({ state: 'uploading', progress: 0.25 });
    requests[0].resolve(info('cat.png'));
    await settle();
    expect(store.uploads()[0]).toMatchObject({ state: 'done', progress: 1, info: info('cat.png') });
    expect(store.outcome([store.uploads()[0].key])).toEqual({ state: 'ready', files: [info('cat.png')] });
  });

  it('cancels: the request is aborted and the file leaves the tray', () => {
    store.add('general', [file('a.png'), file('b.png')]);
    store.cancel(store.uploads()[0].key);
    expect(requests[0].aborted).toBe(true);
    expect(states()).toEqual([['b.png', 'uploading']]);
  });

  it.each([
    ['TOO_LARGE', 'A file can be at most 10 MB.', 'Too large. A file can be at most 10 MB.'],
    [
      'QUOTA_EXCEEDED',
      'Your files would take more than your 64 MB.',
      'Storage is full. Your files would take more than your 64 MB.',
    ],
    [
      'UNSUPPORTED_MEDIA_TYPE',
      'That image could not be read.',
      'Type not allowed. That image could not be read.',
    ],
    ['RATE_LIMITED', 'Slow down.', 'Too many uploads at once. Wait a moment, then retry.'],
    ['NETWORK', 'Cannot reach Flack.', 'Could not reach Flack. Check your connection, then retry.'],
  ] as const)(
    'says why in words when the server answers %s, and retries on request',
    async (code, message, words) => {
      store.add('general', [file('doc.png')]);
      requests[0].reject(new RequestError({ code, message }));
      await settle();
      const [failed] = store.uploads();
      expect(failed).toMatchObject({ state: 'failed', failure: words, retryable: true });
      expect(store.outcome([failed.key])).toEqual({ state: 'failed', reason: `doc.png: ${words}` });

      store.retry(failed.key);
      expect(requests).toHaveLength(2);
      requests[1].resolve(info('doc.png'));
      await settle();
      expect(states()).toEqual([['doc.png', 'done']]);
    },
  );

  it("refuses a file over the server's size limit before uploading, without a retry", async () => {
    expect(TestBed.inject(FileLimitsStore).limits()).toEqual(LIMITS_HERE);
    store.add('general', [
      file('huge.png', LIMITS_HERE.maxFileBytes + 1),
      file('fits.png', LIMITS_HERE.maxFileBytes),
    ]);
    expect(requests.map(({ request }) => request.name)).toEqual(['fits.png']);
    expect(store.uploads()[0]).toMatchObject({
      state: 'failed',
      retryable: false,
      failure: 'Too large. A file can be at most 1 MB.',
    });
  });

  it('leaves the size to the server when its limits could not be asked', async () => {
    limitsAnswer = answer(503);
    TestBed.inject(SessionStore).logOut();
    await TestBed.inject(SessionStore).signIn('Bob');
    await settle();
    store.add('general', [file('huge.png', LIMITS_HERE.maxFileBytes + 1)]);
    expect(requests).toHaveLength(1);
  });

  it('takes at most a message’s worth of files and says how many were left out', () => {
    const refused = store.add(
      'general',
      Array.from({ length: 12 }, (_, i) => file(`${i}.png`)),
    );
    expect(refused).toBe('A message can carry at most 10 files: 2 not added.');
    expect(store.uploads()).toHaveLength(10);
    // Three at a time; the others wait their turn.
    expect(requests).toHaveLength(3);
  });

  it('waits while offline and uploads once the session is back', async () => {
    fake.drop();
    await settle();
    store.add('general', [file('later.png')]);
    expect(states()).toEqual([['later.png', 'waiting']]);
    expect(requests).toHaveLength(0);

    fake.acceptConnection();
    await settle();
    await settle();
    expect(requests).toHaveLength(1);
    expect(states()).toEqual([['later.png', 'uploading']]);
  });

  it('moves the tray to a message, and says when a message’s files are not in memory (a reload)', () => {
    store.add('general', [file('a.png')]);
    const tray = store.trayFor(signal('general'));
    const taken = store.takeTray('general');
    expect(taken.map((upload) => upload.name)).toEqual(['a.png']);
    expect(tray()).toEqual([]);
    expect(store.outcome([taken[0].key])).toEqual({ state: 'waiting' });
    expect(store.outcome(['unknown-key'])).toEqual({ state: 'lost' });
  });
});
