import { TestBed } from '@angular/core/testing';
import type { AckResponse, ClaimNameResponse, SearchHit } from '@flack/contract';
import { FakeSocket, alice, message, provideFakeSocket, settle, snapshot } from '../../testing/fake-socket';
import { SessionApi } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { SEARCH_DEBOUNCE_MS, SearchStore } from './search-store';

describe('SearchStore', () => {
  let fake: FakeSocket;
  let store: SearchStore;
  /** Each search the fake server got, answered when the test says so. */
  let asked: { query: string; answer: (response: AckResponse<SearchHit[]>) => void }[];

  const hit = (text: string): SearchHit => ({ message: message('general', 1, text) });
  const queries = () => asked.map((search) => search.query);

  beforeEach(async () => {
    fake = new FakeSocket();
    const claim: ClaimNameResponse = { token: 'token', user: alice };
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeSocket(fake),
        { provide: SessionApi, useValue: { claimName: () => Promise.resolve(claim) } },
      ],
    });
    asked = [];
    fake.answer(
      'message:search',
      (payload) =>
        new Promise((answer) => asked.push({ query: (payload as { query: string }).query, answer })),
    );
    fake.answerOk('session:get', snapshot());
    store = TestBed.inject(SearchStore);
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    jest.useFakeTimers();
  });

  afterEach(() => jest.useRealTimers());

  it('asks the server once typing pauses, not on every key', async () => {
    store.type('p');
    store.type('pi');
    store.type('pizza');
    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 1);
    expect(queries()).toEqual([]);
    expect(store.open()).toBe(true);

    await jest.advanceTimersByTimeAsync(1);
    expect(queries()).toEqual(['pizza']);
    expect(store.state().status).toBe('searching');

    asked[0].answer({ ok: true, data: [hit('pizza tonight?')] });
    await jest.advanceTimersByTimeAsync(0);
    expect(store.state().status).toBe('done');
    expect(store.hits().map((found) => found.message.text)).toEqual(['pizza tonight?']);
    expect(store.terms()).toEqual(['pizza']);
  });

  it('shows the answer to the latest query only, however the answers arrive', async () => {
    store.type('cat');
    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    store.type('dog');
    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(queries()).toEqual(['cat', 'dog']);

    asked[1].answer({ ok: true, data: [hit('a dog')] });
    asked[0].answer({ ok: true, data: [hit('a cat')] });
    await jest.advanceTimersByTimeAsync(0);

    expect(store.hits().map((found) => found.message.text)).toEqual(['a dog']);
    expect(store.terms()).toEqual(['dog']);
  });

  it('keeps the last results on screen while the next search runs', async () => {
    store.searchNow('cat');
    asked[0].answer({ ok: true, data: [hit('a cat')] });
    await jest.advanceTimersByTimeAsync(0);

    store.searchNow('cats');
    expect(store.state().status).toBe('searching');
    expect(store.hits().map((found) => found.message.text)).toEqual(['a cat']);
  });

  it('says why without asking the server when the query cannot be searched', async () => {
    store.type('?!');
    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(store.state()).toEqual({
      status: 'invalid',
      problem: 'Type a word to search for, not only punctuation.',
    });

    store.type('x'.repeat(201));
    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(store.state()).toEqual({ status: 'invalid', problem: 'A search can be at most 200 characters.' });

    store.type('   ');
    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(store.state()).toEqual({ status: 'idle' });
    expect(queries()).toEqual([]);
  });

  it("shows the server's refusal in its words", async () => {
    store.searchNow('spam');
    asked[0].answer({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'You are searching too fast. Try again in 20 s.' },
    });
    await jest.advanceTimersByTimeAsync(0);

    expect(store.state()).toEqual({
      status: 'failed',
      error: { code: 'RATE_LIMITED', message: 'You are searching too fast. Try again in 20 s.' },
    });
  });

  it('searches what is typed at once on Enter, without waiting for the pause, and once only', async () => {
    store.type('urgent');
    store.submit();
    expect(queries()).toEqual(['urgent']);

    await jest.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(queries()).toEqual(['urgent']);
  });

  it('searches at once and asks for the field when the switcher hands over a query', () => {
    const before = store.focusRequests();

    store.searchNow('budget');

    expect(queries()).toEqual(['budget']);
    expect(store.query()).toBe('budget');
    expect(store.open()).toBe(true);
    expect(store.focusRequests()).toBe(before + 1);
  });

  it('forgets the query and the results on sign-out', async () => {
    store.searchNow('secret');
    asked[0].answer({ ok: true, data: [hit('the secret')] });
    await jest.advanceTimersByTimeAsync(0);

    TestBed.inject(SessionStore).logOut();

    expect(store.query()).toBe('');
    expect(store.hits()).toEqual([]);
    expect(store.open()).toBe(false);
  });
});
