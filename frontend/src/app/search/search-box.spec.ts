import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { ClaimNameResponse, SearchHit } from '@flack/contract';
import {
  FakeSocket,
  alice,
  bob,
  message,
  provideFakeSocket,
  settle,
  settleView,
  snapshot,
} from '../../testing/fake-socket';
import { text, typeInto } from '../../testing/dom';
import { StubPage } from '../../testing/stub-page';
import { SessionApi } from '../core/session-api';
import { SessionStore } from '../core/session-store';
import { SearchBox } from './search-box';
import { SearchStore } from './search-store';

describe('SearchBox', () => {
  let fake: FakeSocket;
  let fixture: ComponentFixture<SearchBox>;
  let store: SearchStore;
  const hits: SearchHit[] = [
    { message: { ...message('general', 7, 'Pizza on <b>Friday</b>?', bob), id: 'm-pizza' } },
    { message: { ...message('dm:ab', 3, 'no pizza for me', alice), id: 'm-dm' } },
  ];

  const field = () => fixture.nativeElement.querySelector('input') as HTMLInputElement;
  const options = () => [...fixture.nativeElement.querySelectorAll('[role="option"]')] as HTMLElement[];
  const status = () => text(fixture.nativeElement.querySelector('[role="status"]'));
  const press = (key: string) =>
    field().dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));

  beforeEach(async () => {
    fake = new FakeSocket();
    const claim: ClaimNameResponse = { token: 'token', user: alice };
    TestBed.configureTestingModule({
      providers: [
        ...provideFakeSocket(fake),
        provideRouter([{ path: 'c/:channel', component: StubPage }]),
        { provide: SessionApi, useValue: { claimName: () => Promise.resolve(claim) } },
      ],
    });
    fake.answerOk('session:get', snapshot());
    await TestBed.inject(SessionStore).signIn('Alice');
    await settle();
    store = TestBed.inject(SearchStore);
    fixture = TestBed.createComponent(SearchBox);
    fixture.componentRef.setInput(
      'labels',
      new Map([
        ['general', '#general'],
        ['dm:ab', '@Bob'],
      ]),
    );
    document.body.appendChild(fixture.nativeElement);
    await fixture.whenStable();
  });

  afterEach(() => fixture.nativeElement.remove());

  async function search(query: string) {
    fake.answerOk('message:search', hits);
    store.searchNow(query);
    await settleView(fixture);
  }

  it('is a combobox labelled "Search messages", collapsed until there is something to show', () => {
    expect(field().getAttribute('role')).toBe('combobox');
    expect(text(fixture.nativeElement.querySelector(`label[for="${field().id}"]`))).toBe('Search messages');
    expect(field().getAttribute('aria-expanded')).toBe('false');
  });

  it('lists each result with its channel, author, time and the matched words marked, as text', async () => {
    await search('pizza');

    expect(field().getAttribute('aria-expanded')).toBe('true');
    expect(status()).toBe('2 messages match.');
    const [first, second] = options();
    expect(text(first.querySelector('.where'))).toBe('#general');
    expect(text(first.querySelector('.author'))).toBe('Bob');
    expect(first.querySelector('time')?.getAttribute('datetime')).toBe(hits[0].message.createdAt);
    expect(text(second.querySelector('.where'))).toBe('@Bob');
    // The text exactly as written, markup shown as characters, the word in a <mark>.
    expect(first.querySelector('.text')?.textContent).toBe('Pizza on <b>Friday</b>?');
    expect(first.querySelector('b')).toBeNull();
    expect([...first.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['Pizza']);
  });

  it('shows a formatted message as a reader sees it: no asterisks, underscores or backticks', async () => {
    fake.answerOk('message:search', [
      { message: { ...message('general', 9, '**Pizza** on _Friday_,\n`8 pm`', bob), id: 'm-fmt' } },
    ]);
    store.searchNow('pizza');
    await settleView(fixture);

    const [only] = options();
    expect(only.querySelector('.text')?.textContent).toBe('Pizza on Friday, 8 pm');
    expect([...only.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['Pizza']);
  });

  it('moves the choice with the arrows and opens the chosen message on Enter', async () => {
    await search('pizza');
    expect(field().getAttribute('aria-activedescendant')).toBe(options()[0].id);

    press('ArrowDown');
    await fixture.whenStable();
    expect(options()[1].getAttribute('aria-selected')).toBe('true');
    expect(field().getAttribute('aria-activedescendant')).toBe(options()[1].id);

    press('Enter');
    await settleView(fixture);
    expect(TestBed.inject(Router).url).toBe('/c/dm:ab?message=m-dm');
    expect(field().getAttribute('aria-expanded')).toBe('false');
  });

  it('opens a message on click', async () => {
    await search('pizza');

    options()[0].click();
    await settleView(fixture);

    expect(TestBed.inject(Router).url).toBe('/c/general?message=m-pizza');
  });

  it('says so when nothing matches, and when the search failed', async () => {
    fake.answerOk('message:search', []);
    store.searchNow('zebra');
    await settleView(fixture);
    expect(status()).toBe('No messages match “zebra”.');
    expect(options()).toHaveLength(0);

    fake.answerError('message:search', { code: 'RATE_LIMITED', message: 'You are searching too fast.' });
    store.searchNow('zebras');
    await settleView(fixture);
    expect(status()).toBe('You are searching too fast.');
  });

  it('closes the list on Escape, then empties the field on a second one', async () => {
    await search('pizza');

    press('Escape');
    await fixture.whenStable();
    expect(field().getAttribute('aria-expanded')).toBe('false');
    expect(field().value).toBe('pizza');

    press('Escape');
    await fixture.whenStable();
    expect(field().value).toBe('');
  });

  it('takes focus when asked (a shortcut, the switcher)', async () => {
    store.focus();
    await fixture.whenStable();
    expect(document.activeElement).toBe(field());
  });

  it('searches what is typed', async () => {
    fake.answerOk('message:search', hits);
    typeInto(field(), 'pizza');
    await fixture.whenStable();
    expect(store.query()).toBe('pizza');
    expect(field().getAttribute('aria-expanded')).toBe('true');
  });
});
