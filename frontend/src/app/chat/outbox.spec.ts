import { TestBed } from '@angular/core/testing';
import type { AckResponse, FileInfo, Message, SendMessagePayload, SentMessage } from '@flack/contract';
import { FakeSocket, alice, message, provideFakeServer, settle, snapshot } from '../../testing/fake-socket';
import { SessionStore } from '../core/session-store';
import { FETCH } from '../core/session-api';
import { SavedSessions, type SavedOutboxEntry } from '../core/storage';
import { UPLOAD_TRANSPORT } from '../files/upload-transport';
import { UploadsStore } from '../files/uploads-store';
import { DELIVERY_POLICY, FILES_LOST, Outbox, strandedEntries, type OutboxEntry } from './outbox';

describe('Outbox', () => {
  let fake: FakeSocket;
  let outbox: Outbox;
  let delivered: Message[];
  /** What the fake server stored, one per clientId, as the real one dedups. */
  let stored: Map<string, Message>;

  /** Stores once per clientId and answers as the server does: the stored message's id, seq and time. */
  const storeMessages = (payload: unknown): AckResponse<SentMessage> => {
    const { channel, text, clientId } = payload as SendMessagePayload;
    const saved = stored.get(clientId) ?? { ...message(channel, stored.size + 1, text, alice), clientId };
    stored.set(clientId, saved);
    return { ok: true, data: { id: saved.id, seq: saved.seq, createdAt: saved.createdAt } };
  };

  async function start() {
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        { provide: DELIVERY_POLICY, useValue: { ackTimeoutMs: 50, attempts: 3, retryDelayMs: 1 } },
      ],
    });
    outbox = TestBed.inject(Outbox);
    delivered = [];
    outbox.delivered.subscribe((sent) => delivered.push(sent));
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
  }

  /** Lets a chain of attempts, retries and their pauses run out. */
  const drain = async () => {
    for (let round = 0; round < 10; round++) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  beforeEach(async () => {
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    stored = new Map();
    await start();
  });

  it('sends messages one at a time in the order they were written, and empties', async () => {
    fake.answer('message:send', storeMessages);

    outbox.write('general', 'one');
    outbox.write('general', 'two');
    outbox.write('random', 'three');
    await drain();

    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ channel: 'general', text: 'one' }),
      expect.objectContaining({ channel: 'general', text: 'two' }),
      expect.objectContaining({ channel: 'random', text: 'three' }),
    ]);
    expect(delivered.map((sent) => sent.text)).toEqual(['one', 'two', 'three']);
    expect(outbox.entries()).toEqual([]);
    expect(TestBed.inject(SavedSessions).outbox('Alice')).toEqual([]);
  });

  it('keeps what is written offline, and sends it in order once connected again', async () => {
    fake.answer('message:send', storeMessages);
    fake.drop();

    outbox.write('general', 'first');
    outbox.write('general', 'second');
    await drain();
    expect(fake.sentEvents('message:send')).toEqual([]);
    expect(outbox.entries().map((entry) => [entry.text, entry.failure])).toEqual([
      ['first', null],
      ['second', null],
    ]);

    fake.acceptConnection();
    await settle();
    void outbox.flush();
    await drain();

    expect(delivered.map((sent) => sent.text)).toEqual(['first', 'second']);
    expect(outbox.entries()).toEqual([]);
  });

  it('survives a reload: the next visit sends what the last one could not', async () => {
    fake.drop();
    outbox.write('general', 'written before the reload');
    await drain();
    const clientId = outbox.entries()[0].clientId;

    TestBed.resetTestingModule();
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    fake.answer('message:send', storeMessages);
    await start();
    expect(outbox.entries().map((entry) => entry.text)).toEqual(['written before the reload']);
    void outbox.flush();
    await drain();

    expect(fake.sentEvents('message:send')).toEqual([
      { channel: 'general', text: 'written before the reload', clientId },
    ]);
    expect(outbox.entries()).toEqual([]);
  });

  it('keeps a reply’s quote across a reload and a Retry, sending what it answers each time', async () => {
    const replyTo = { id: 'm-original', seq: 4, author: alice, excerpt: 'the meeting is at 3' };
    fake.drop();
    outbox.write('general', 'see you there', replyTo);
    await drain();

    TestBed.resetTestingModule();
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    fake.answerError('message:send', { code: 'INTERNAL', message: 'Something went wrong.' });
    await start();
    expect(outbox.entries()).toEqual([expect.objectContaining({ text: 'see you there', replyTo })]);
    void outbox.flush();
    await drain();
    expect(outbox.entries()).toEqual([
      expect.objectContaining({ replyTo, failure: 'Something went wrong.' }),
    ]);

    fake.answer('message:send', storeMessages);
    outbox.retry(outbox.entries()[0].clientId);
    await drain();

    const attempts = fake.sentEvents('message:send') as SendMessagePayload[];
    expect(attempts.map((attempt) => attempt.replyTo)).toEqual(['m-original', 'm-original']);
    expect(outbox.entries()).toEqual([]);
    expect(delivered).toEqual([expect.objectContaining({ text: 'see you there', replyTo, seq: 1 })]);
  });

  it('sends a saved entry with a malformed quote as a plain message', async () => {
    const entry = {
      clientId: 'c-1',
      channel: 'general',
      text: 'hi',
      writtenAt: '2025-01-01T00:00:00Z',
      failure: null,
    };
    TestBed.inject(SavedSessions).updateOutbox('Alice', () => [{ ...entry, replyTo: { id: 7 } } as never]);
    TestBed.resetTestingModule();
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    fake.answer('message:send', storeMessages);
    await start();

    void outbox.flush();
    await drain();

    expect(fake.sentEvents('message:send')).toEqual([{ channel: 'general', text: 'hi', clientId: 'c-1' }]);
  });

  it('retries a message the server does not answer with the same clientId, then marks it failed', async () => {
    fake.silence('message:send');

    outbox.write('general', 'into the void');
    await drain();

    const attempts = fake.sentEvents('message:send') as SendMessagePayload[];
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((attempt) => attempt.clientId)).size).toBe(1);
    expect(outbox.entries()).toEqual([
      expect.objectContaining({ text: 'into the void', failure: 'The server did not answer.' }),
    ]);
  });

  it('sends a failed message again on Retry, stored once however often it was tried', async () => {
    // The server stores the message, but none of its answers arrives.
    fake.answer('message:send', (payload) => {
      storeMessages(payload);
      return Promise.reject(new Error('operation has timed out'));
    });
    outbox.write('general', 'eventually');
    await drain();
    expect(outbox.entries()[0].failure).not.toBeNull();

    fake.answer('message:send', storeMessages);
    outbox.retry(outbox.entries()[0].clientId);
    await drain();

    expect(outbox.entries()).toEqual([]);
    expect(delivered.map((sent) => sent.text)).toEqual(['eventually']);
    expect(stored.size).toBe(1);
  });

  it('waits out a rate limit instead of failing', async () => {
    let calls = 0;
    fake.answer('message:send', (payload) =>
      calls++ < 5
        ? { ok: false, error: { code: 'RATE_LIMITED', message: 'Slow down.', retryAfterMs: 1 } }
        : storeMessages(payload),
    );

    outbox.write('general', 'patient');
    await drain();

    expect(delivered.map((sent) => sent.text)).toEqual(['patient']);
  });

  it('waits while the server cannot reach its store, instead of failing', async () => {
    let calls = 0;
    fake.answer('message:send', (payload) =>
      calls++ < 2
        ? { ok: false, error: { code: 'UNAVAILABLE', message: 'Try again shortly.', retryAfterMs: 1 } }
        : storeMessages(payload),
    );

    outbox.write('general', 'through an outage');
    await drain();

    expect(delivered.map((sent) => sent.text)).toEqual(['through an outage']);
  });

  it('marks a refused message failed with the server’s reason and goes on with the next', async () => {
    fake.answer('message:send', (payload) =>
      (payload as SendMessagePayload).channel === 'closed'
        ? { ok: false, error: { code: 'NOT_A_MEMBER', message: 'Join the channel first.' } }
        : storeMessages(payload),
    );

    outbox.write('closed', 'refused');
    outbox.write('general', 'fine');
    await drain();

    expect(outbox.entries()).toEqual([
      expect.objectContaining({ text: 'refused', failure: 'Join the channel first.' }),
    ]);
    expect(delivered.map((sent) => sent.text)).toEqual(['fine']);
    outbox.discard(outbox.entries()[0].clientId);
    expect(outbox.entries()).toEqual([]);
    expect(TestBed.inject(SavedSessions).outbox('Alice')).toEqual([]);
  });

  it('keeps each name’s outbox apart', async () => {
    fake.drop();
    outbox.write('general', 'from Alice');

    TestBed.inject(SessionStore).logOut();
    await settle();

    expect(outbox.entries()).toEqual([]);
    expect(
      TestBed.inject(SavedSessions)
        .outbox('alice')
        .map((entry) => entry.text),
    ).toEqual(['from Alice']);
  });

  describe('a message to a channel that is gone', () => {
    it('is kept as failed with the server’s reason when the channel no longer exists, and the messages after it still go', async () => {
      fake.answer('message:send', (payload) =>
        (payload as SendMessagePayload).channel === 'gone'
          ? { ok: false, error: { code: 'NOT_FOUND', message: 'There is no channel with that name.' } }
          : storeMessages(payload),
      );

      outbox.write('gone', 'written during the outage');
      outbox.write('general', 'and this one is fine');
      await drain();

      expect(delivered.map((sent) => sent.text)).toEqual(['and this one is fine']);
      expect(outbox.entries()).toEqual([
        expect.objectContaining({
          channel: 'gone',
          text: 'written during the outage',
          failure: 'There is no channel with that name.',
        }),
      ]);
      // A reload keeps it, so the person still sees it and decides.
      expect(TestBed.inject(SavedSessions).outbox('Alice')).toEqual([
        expect.objectContaining({ text: 'written during the outage', failure: expect.any(String) }),
      ]);
      expect(strandedEntries(outbox.entries(), new Set(['general']))).toEqual([
        expect.objectContaining({ text: 'written during the outage' }),
      ]);
    });

    it('is dropped for good by Discard', async () => {
      fake.answerError('message:send', { code: 'NOT_A_MEMBER', message: 'You are not a member of "x".' });
      outbox.write('x', 'no longer wanted');
      await drain();
      const [entry] = strandedEntries(outbox.entries(), new Set());

      outbox.discard(entry.clientId);

      expect(outbox.entries()).toEqual([]);
      expect(TestBed.inject(SavedSessions).outbox('Alice')).toEqual([]);
    });
  });
});

describe('Outbox with files', () => {
  let fake: FakeSocket;
  let outbox: Outbox;
  let uploads: UploadsStore;
  let finish: ((info: FileInfo) => void)[];

  beforeEach(async () => {
    fake = new FakeSocket();
    fake.answerOk('session:get', snapshot());
    finish = [];
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeServer(fake),
        { provide: FETCH, useValue: () => Promise.resolve(new Response(null, { status: 204 })) },
        {
          provide: UPLOAD_TRANSPORT,
          useValue: () => ({
            done: new Promise<FileInfo>((resolve) => finish.push(resolve)),
            abort: () => undefined,
          }),
        },
      ],
    });
    outbox = TestBed.inject(Outbox);
    uploads = TestBed.inject(UploadsStore);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    delivered = [];
    outbox.delivered.subscribe((sent) => delivered.push(sent));
    let seq = 0;
    fake.answer('message:send', () => ({
      ok: true,
      data: { id: `m-${++seq}`, seq, createdAt: new Date(Date.UTC(2025, 0, 1, 9, seq)).toISOString() },
    }));
  });

  const attach = (name: string) => {
    uploads.add('general', [new File(['x'], name)]);
    return uploads.takeTray('general').map(({ key, size }) => ({ upload: key, name, size }));
  };
  const info = (id: string): FileInfo => ({ id, name: id, type: 'image/png', size: 1 });

  it('sends a message once its files are uploaded, with their ids, and keeps later messages behind it', async () => {
    outbox.write('general', 'photo', undefined, attach('a.png'));
    outbox.write('general', 'after the photo');
    await settle();
    expect(fake.sentEvents('message:send')).toEqual([]);

    finish[0](info('f-1'));
    await settle();
    await settle();
    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ text: 'photo', files: ['f-1'] }),
      expect.objectContaining({ text: 'after the photo' }),
    ]);
    expect(outbox.entries()).toEqual([]);
    // Stored: the File is not kept in memory any more.
    expect(uploads.uploads()).toEqual([]);
    // Until its broadcast arrives, the app shows it from what was sent, with the ack's id, seq, time.
    expect(delivered[0]).toEqual({
      id: 'm-1',
      channel: 'general',
      seq: 1,
      author: alice,
      text: 'photo',
      createdAt: '2025-01-01T09:01:00.000Z',
      clientId: expect.any(String),
      files: [info('f-1')],
    });
    expect(delivered[1]).not.toHaveProperty('files');
  });

  it('keeps an uploaded file with the waiting message, so a reload still sends it', async () => {
    outbox.write('general', 'photo', undefined, attach('a.png'));
    fake.drop();
    finish[0](info('f-1'));
    await settle();
    const saved = TestBed.inject(SavedSessions).outbox('Alice') as OutboxEntry[];
    expect(saved[0].attachments).toEqual([
      expect.objectContaining({ upload: expect.any(String), file: info('f-1') }),
    ]);

    // The next visit: nothing of this page's memory, the saved entry only.
    TestBed.inject(SessionStore).logOut();
    TestBed.tick();
    uploads.release(uploads.uploads().map((upload) => upload.key));
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    await outbox.flush();
    expect(fake.sentEvents('message:send')).toEqual([
      expect.objectContaining({ text: 'photo', files: ['f-1'] }),
    ]);
  });

  it('says the files were not kept when the page was reloaded before they were sent', async () => {
    TestBed.inject(SavedSessions).updateOutbox('Alice', (entries) => [
      ...entries,
      {
        clientId: 'c-1',
        channel: 'general',
        text: '',
        writtenAt: new Date().toISOString(),
        failure: null,
        attachments: [{ upload: 'from-before-the-reload', name: 'a.png', size: 1 }],
      } as SavedOutboxEntry,
    ]);
    TestBed.inject(SessionStore).logOut();
    TestBed.tick();
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    await outbox.flush();

    expect(fake.sentEvents('message:send')).toEqual([]);
    expect(outbox.entries()).toEqual([expect.objectContaining({ clientId: 'c-1', failure: FILES_LOST })]);
  });
});

describe('strandedEntries', () => {
  const entry = (channel: string, failure: string | null): OutboxEntry => ({
    clientId: `${channel}-${failure ?? 'pending'}`,
    channel,
    text: 'hello',
    writtenAt: '2026-12-01T10:00:00.000Z',
    failure,
  });

  it('lists the failed messages of conversations this person is not in, and no others', () => {
    const goneFailed = entry('gone', 'There is no channel with that name.');
    const entries = [
      goneFailed,
      entry('gone', null), // not tried yet: the outbox decides first
      entry('general', 'The server did not answer.'), // shown in #general, with Retry
      entry('general', null),
    ];

    expect(strandedEntries(entries, new Set(['general']))).toEqual([goneFailed]);
  });
});
