import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { LIMITS } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { inMemoryServices } from '../../test/support/services.js';
import { SearchService } from './search.service.js';

const alice = { id: 'u-alice', name: 'alice' };
const bob = { id: 'u-bob', name: 'bob' };

describe('SearchService', () => {
  let app: ReturnType<typeof inMemoryServices>;
  let search: SearchService;

  beforeEach(async () => {
    app = inMemoryServices();
    search = new SearchService(app.channels, app.repositories.messages);
    await app.channels.create(alice, 'general');
    await app.channels.create(alice, 'random');
    await app.channels.create(bob, 'secret');
  });
  afterEach(() => {
    app.stop();
    jest.useRealTimers();
  });

  /** Each message a second after the one before, so "newest" is never a tie. */
  let clock = Date.parse('2026-12-01T12:00:00Z');
  const send = async (channel: string, text: string, author = alice) => {
    jest.useFakeTimers({
      now: (clock += 1000),
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'queueMicrotask',
      ],
    });
    return (await app.messages.send(author, { channel, text, clientId: randomUUID() })).message!;
  };
  const texts = async (userId: string, query: string) =>
    (await search.search(userId, query)).map((hit) => hit.message.text);

  it('finds messages with every word, in every joined channel, newest first', async () => {
    await send('general', 'The release is on Friday');
    await send('random', 'Friday drinks after the release?');
    await send('general', 'nothing to see');
    await send('random', 'friday, for sure');
    const hits = await search.search(alice.id, 'FRIDAY release');
    expect(hits.map((hit) => [hit.message.channel, hit.message.text])).toEqual([
      ['random', 'Friday drinks after the release?'],
      ['general', 'The release is on Friday'],
    ]);
  });

  it('merges channels of any length into one order, newest first', async () => {
    await app.channels.create(alice, 'quiet');
    const order = ['general', 'random', 'random', 'quiet', 'general', 'general', 'random', 'quiet'];
    for (const [i, channel] of order.entries()) await send(channel, `tick ${i}`);
    expect(await texts(alice.id, 'tick')).toEqual(order.map((_, i) => `tick ${order.length - 1 - i}`));
  });

  it('compares case and accents aside, both ways', async () => {
    await send('general', 'Le CAFÉ est prêt');
    expect(await texts(alice.id, 'cafe pret')).toEqual(['Le CAFÉ est prêt']);
    expect(await texts(alice.id, 'Café')).toEqual(['Le CAFÉ est prêt']);
  });

  it('never reads a channel the person is not in, nor one they left', async () => {
    await send('secret', 'the password is swordfish', bob);
    await send('random', 'swordfish for lunch');
    expect(await texts(alice.id, 'swordfish')).toEqual(['swordfish for lunch']);
    await app.channels.leave(alice, 'random');
    expect(await texts(alice.id, 'swordfish')).toEqual([]);
  });

  it('never finds a deleted message', async () => {
    const gone = await send('general', 'typo in here');
    await app.messages.delete(alice, { channel: 'general', id: gone.id });
    expect(await texts(alice.id, 'typo')).toEqual([]);
  });

  it(`answers at most ${LIMITS.searchResults}, the newest`, async () => {
    for (let i = 1; i <= LIMITS.searchResults + 10; i++)
      await send(i % 2 ? 'general' : 'random', `match ${i}`);
    const found = await texts(alice.id, 'match');
    expect(found).toHaveLength(LIMITS.searchResults);
    expect(found[0]).toBe(`match ${LIMITS.searchResults + 10}`);
    expect(found.at(-1)).toBe('match 11');
  });

  it('reads each joined channel once', async () => {
    const recent = jest.spyOn(app.repositories.messages, 'recent');
    await search.search(alice.id, 'anything');
    expect(recent.mock.calls.map(([channel]) => channel).sort()).toEqual(['general', 'random']);
  });
});
