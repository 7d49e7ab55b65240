import { TestBed } from '@angular/core/testing';
import { FakeSocket, channel, provideFakeSocket, settle } from '../../testing/fake-socket';
import { RequestError } from './app-error';
import { ChatSocket } from './chat-socket';

describe('ChatSocket', () => {
  let fake: FakeSocket;
  let socket: ChatSocket;

  beforeEach(async () => {
    fake = new FakeSocket();
    TestBed.configureTestingModule({ providers: provideFakeSocket(fake) });
    socket = TestBed.inject(ChatSocket);
    await settle();
  });

  it('loads Socket.IO only when there is a session to connect, keeping it off the sign-in page', async () => {
    const seen: string[] = [];
    socket.on('channel:created').subscribe((created) => seen.push(created.name));
    await settle();
    expect(fake.auth).toBeNull();
    expect(fake.listenerCount('channel:created')).toBe(0);

    socket.connect('token');
    await settle();

    expect(fake.auth).not.toBeNull();
    fake.serverEmit('channel:created', channel('General'));
    expect(seen).toEqual(['General']);
  });

  it('delivers server events to subscribers', async () => {
    const seen: string[] = [];
    socket.on('channel:created').subscribe((created) => seen.push(created.name));
    socket.connect('token');
    await settle();

    fake.serverEmit('channel:created', channel('General'));

    expect(seen).toEqual(['General']);
  });

  it('removes only its own handler when a subscription ends', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const firstSubscription = socket.on('channel:created').subscribe((c) => first.push(c.name));
    socket.on('channel:created').subscribe((c) => second.push(c.name));
    socket.connect('token');
    await settle();
    expect(fake.listenerCount('channel:created')).toBe(2);

    firstSubscription.unsubscribe();
    fake.serverEmit('channel:created', channel('Random'));

    expect(fake.listenerCount('channel:created')).toBe(1);
    expect(first).toEqual([]);
    expect(second).toEqual(['Random']);
  });

  it('never attaches a handler for a subscription that ended before the socket loaded', async () => {
    const early = new FakeSocket();
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: provideFakeSocket(early) });
    const lazy = TestBed.inject(ChatSocket);

    lazy.on('message:new').subscribe().unsubscribe();
    await settle();

    expect(early.listenerCount('message:new')).toBe(0);
  });

  it('keeps the order of what was asked while Socket.IO was still loading', async () => {
    const early = new FakeSocket();
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: provideFakeSocket(early) });
    const lazy = TestBed.inject(ChatSocket);
    let connects = 0;

    lazy.connects.subscribe(() => connects++);
    lazy.connect('token');
    await settle();

    expect(connects).toBe(1);
    expect(early.connected).toBe(true);
  });

  it('authenticates every (re)connect with the current token', async () => {
    socket.connect('first-token');
    await settle();
    expect(fake.authToken()).toBe('first-token');

    socket.connect('renewed-token');
    await settle();
    expect(fake.authToken()).toBe('renewed-token');
    expect(fake.connectCalls).toBe(2);

    socket.disconnect();
    await settle();
    expect(fake.authToken()).toBeNull();
    expect(fake.connected).toBe(false);
  });

  describe('request', () => {
    beforeEach(async () => {
      socket.connect('token');
      await settle();
    });

    it('resolves with the acknowledged data', async () => {
      fake.answerOk('channel:join', { channel: channel('General'), messages: [] });

      const opened = await socket.request('channel:join', { channel: 'general' });

      expect(opened.channel.name).toBe('General');
      expect(fake.sentEvents('channel:join')).toEqual([{ channel: 'general' }]);
    });

    it("rejects with the server's error body", async () => {
      const error = { code: 'CHANNEL_EXISTS', message: 'A channel named "general" already exists.' } as const;
      fake.answerError('channel:create', error);

      const failure = socket.request('channel:create', { name: 'General' });

      await expect(failure).rejects.toBeInstanceOf(RequestError);
      await expect(failure).rejects.toMatchObject({ body: error });
    });

    it('rejects with TIMEOUT when the server never answers', async () => {
      fake.silence('session:get');

      await expect(socket.request('session:get')).rejects.toMatchObject({ body: { code: 'TIMEOUT' } });
    });

    it('rejects with OFFLINE, without sending, while disconnected', async () => {
      fake.drop();

      await expect(socket.request('channel:list')).rejects.toMatchObject({ body: { code: 'OFFLINE' } });
      expect(fake.sentEvents('channel:list')).toEqual([]);
    });
  });
});
