import { TestBed } from '@angular/core/testing';
import type { ClaimNameResponse } from '@flack/contract';
import { FakeSocket, alice, provideFakeSocket, settle, snapshot } from '../../testing/fake-socket';
import { AlertStore } from './alert-store';
import { RequestError } from './app-error';
import { SessionApi } from './session-api';
import { SessionStore, type SessionSync } from './session-store';
import { SavedSessions } from './storage';

describe('SessionStore', () => {
  let fake: FakeSocket;
  let claimName: jest.Mock<Promise<ClaimNameResponse>, [string]>;
  let store: SessionStore;
  let saved: SavedSessions;
  let syncs: SessionSync[];

  function setUp(socket = new FakeSocket()) {
    fake = socket;
    fake.answerOk('session:get', snapshot());
    claimName = jest.fn((name: string) => Promise.resolve({ token: `token-for-${name}`, user: alice }));
    TestBed.configureTestingModule({
      providers: [...provideFakeSocket(fake), { provide: SessionApi, useValue: { claimName } }],
    });
    store = TestBed.inject(SessionStore);
    saved = TestBed.inject(SavedSessions);
    syncs = [];
    store.synced.subscribe((sync) => syncs.push(sync));
  }

  const loginAlert = () => TestBed.inject(AlertStore).at('login')();

  beforeEach(() => {
    localStorage.clear();
    setUp();
  });

  it('claims a new name, keeps its token and connects with it', async () => {
    expect(await store.signIn('  Alice ')).toBe(true);
    await settle();

    expect(claimName).toHaveBeenCalledWith('Alice');
    expect(saved.tokenFor('alice')).toBe('token-for-Alice');
    expect(fake.authToken()).toBe('token-for-Alice');
    expect(store.ready()).toBe(true);
    expect(store.displayName()).toBe('Alice');
    expect(syncs).toEqual([{ snapshot: snapshot(), reconnect: false, restarted: false }]);
  });

  it('signs in again with the token kept for that name instead of claiming it', async () => {
    saved.saveToken('Alice', 'kept-token');

    await store.signIn('alice');
    await settle();

    expect(claimName).not.toHaveBeenCalled();
    expect(fake.authToken()).toBe('kept-token');
    // The server's spelling wins over what was typed.
    expect(store.displayName()).toBe('Alice');
  });

  it("shows the server's refusal of a taken name and stays signed out", async () => {
    const taken = { code: 'NAME_TAKEN', message: 'Someone is already called "Alice".' } as const;
    claimName.mockRejectedValue(new RequestError(taken));

    expect(await store.signIn('Alice')).toBe(false);

    expect(store.signedIn()).toBe(false);
    expect(loginAlert()).toEqual(taken);
    expect(fake.connectCalls).toBe(0);
  });

  it('goes straight in on the next visit', async () => {
    saved.setCurrentName('Alice');
    saved.saveToken('Alice', 'kept-token');

    store.resume();
    await settle();

    expect(store.ready()).toBe(true);
    expect(fake.authToken()).toBe('kept-token');
  });

  it('stays at the prompt on a first visit', async () => {
    store.resume();
    await settle();

    expect(store.signedIn()).toBe(false);
    expect(fake.connectCalls).toBe(0);
  });

  it('says when the connection drops and resyncs when it comes back', async () => {
    await store.signIn('Alice');
    await settle();

    fake.drop();
    expect(store.connection()).toBe('reconnecting');
    expect(store.connectionProblem()).toBe('Connection lost. Reconnecting…');

    fake.acceptConnection();
    await settle();
    expect(store.connectionProblem()).toBeNull();
    expect(syncs.map((sync) => sync.reconnect)).toEqual([false, true]);
  });

  it('says so when the server announces a restart', async () => {
    await store.signIn('Alice');
    await settle();

    fake.serverEmit('server:shutdown');
    fake.drop();

    expect(store.connectionProblem()).toBe('Flack is restarting. Reconnecting…');
  });

  it('claims the name again when the server no longer knows the token', async () => {
    saved.saveToken('Alice', 'stale-token');
    await store.signIn('Alice');
    await settle();
    fake.drop();

    fake.refuse('SESSION_UNKNOWN');
    await settle();

    expect(claimName).toHaveBeenCalledWith('Alice');
    expect(saved.tokenFor('Alice')).toBe('token-for-Alice');
    expect(fake.authToken()).toBe('token-for-Alice');
    expect(store.ready()).toBe(true);
  });

  it('returns to the prompt with the reason when the name was taken meanwhile', async () => {
    saved.saveToken('Alice', 'stale-token');
    await store.signIn('Alice');
    await settle();
    const taken = { code: 'NAME_TAKEN', message: 'Someone is already called "Alice".' } as const;
    claimName.mockRejectedValue(new RequestError(taken));

    fake.refuse('SESSION_UNKNOWN');
    await settle();

    expect(store.signedIn()).toBe(false);
    expect(loginAlert()).toEqual({
      code: 'NAME_TAKEN',
      message: 'Flack restarted, and someone else has taken the name Alice since. Pick another name.',
    });
    expect(saved.tokenFor('Alice')).toBeNull();
  });

  it('announces a restart plainly once the name is claimed again', async () => {
    saved.saveToken('Alice', 'old-token');
    await store.signIn('Alice');
    await settle();

    fake.serverEmit('server:shutdown');
    fake.drop();
    expect(store.connectionProblem()).toBe('Flack is restarting. Reconnecting…');
    fake.refuse('SESSION_UNKNOWN');
    await settle();

    expect(store.connectionProblem()).toBeNull();
    expect(store.notice()).toContain('Flack restarted and lost its memory. You are signed in again as Alice');
    expect(syncs.map((sync) => sync.restarted)).toEqual([false, true]);
    store.dismissNotice();
    expect(store.notice()).toBeNull();
  });

  it('logs out without forgetting the token, so the same name gets the same identity', async () => {
    await store.signIn('Alice');
    await settle();

    store.logOut();

    expect(store.signedIn()).toBe(false);
    expect(fake.connected).toBe(false);
    expect(saved.currentName()).toBeNull();
    expect(saved.tokenFor('Alice')).toBe('token-for-Alice');
    expect(fake.sentEvents('session:forget')).toEqual([]);
  });

  it('goes back to the prompt, dropping the token, when the server ends the session', async () => {
    await store.signIn('Alice');
    await settle();

    fake.serverEmit('session:ended');

    expect(store.signedIn()).toBe(false);
    expect(saved.tokenFor('Alice')).toBeNull();
    expect(loginAlert()?.message).toMatch(/session has ended/);
  });

  it('forgets the person on the server when asked to', async () => {
    await store.signIn('Alice');
    await settle();
    fake.answer('session:forget', () => {
      fake.serverEmit('session:ended');
      return { ok: true, data: null };
    });

    expect(await store.forget()).toBe(true);

    expect(store.signedIn()).toBe(false);
    expect(saved.tokenFor('Alice')).toBeNull();
    expect(loginAlert()).toBeNull();
  });

  it('replays the current session to a store created later', async () => {
    await store.signIn('Alice');
    await settle();
    fake.drop();
    fake.acceptConnection();
    await settle();

    const late: SessionSync[] = [];
    store.synced.subscribe((sync) => late.push(sync));

    expect(late).toEqual([{ snapshot: snapshot(), reconnect: false, restarted: false }]);
  });
});
