import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS, type SearchHit } from '@flack/contract';
import { send, TestServer, uniqueName, type TestUser } from './support/test-app.js';

const texts = (hits: SearchHit[]) => hits.map((hit) => hit.message.text);

/** `message:search` on a real server: what a person can read, and nothing else. */
describe('message:search', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let channel: string;
  let dm: string;

  beforeAll(async () => {
    server = await TestServer.start();
    alice = await server.user(uniqueName('alice'));
    bob = await server.user(uniqueName('bob'));
    carol = await server.user(uniqueName('carol'));
    channel = (await alice.call('channel:create', { name: uniqueName('kitchen') })).channel.id;
    await bob.call('channel:join', { channel });
    await carol.call('channel:join', { channel });
    dm = (await alice.call('dm:open', { userId: bob.id })).channel.id;
  });
  afterAll(() => server.stop());

  /** A word nobody else's test uses, so each test sees only its own messages. */
  const word = () => uniqueName('zq');

  it('finds a message in a channel and in a direct conversation, with its channel and author', async () => {
    const fruit = word();
    await send(alice, channel, `Who ate the ${fruit}?`);
    await send(bob, dm, `It was me, the ${fruit}. Sorry!`);
    const hits = await alice.call('message:search', { query: fruit });
    expect(hits.map(({ message }) => [message.channel, message.author.id, message.text])).toEqual([
      [dm, bob.id, `It was me, the ${fruit}. Sorry!`],
      [channel, alice.id, `Who ate the ${fruit}?`],
    ]);
    // Bob reads both too; Carol is in the channel but not in their conversation.
    expect(texts(await bob.call('message:search', { query: fruit }))).toHaveLength(2);
    expect(texts(await carol.call('message:search', { query: fruit }))).toEqual([`Who ate the ${fruit}?`]);
  });

  it('needs every word, case and accents aside, and finds the start of a word', async () => {
    const tag = word();
    await send(alice, channel, `Le CAFÉ est prêt ${tag}`);
    await send(alice, channel, `le thé est prêt ${tag}`);
    expect(texts(await bob.call('message:search', { query: `cafe PRET ${tag}` }))).toEqual([
      `Le CAFÉ est prêt ${tag}`,
    ]);
    expect(texts(await bob.call('message:search', { query: `Café ${tag.slice(0, -1)}` }))).toEqual([
      `Le CAFÉ est prêt ${tag}`,
    ]);
  });

  it('finds no message of a conversation between two others, whatever is asked', async () => {
    const secret = word();
    await send(alice, dm, `${secret} is the password`);
    expect(await carol.call('message:search', { query: secret })).toEqual([]);
    expect(await carol.call('message:search', { query: `${secret} password` })).toEqual([]);
  });

  it('never finds a deleted message', async () => {
    const typo = word();
    const sent = await send(bob, channel, `${typo} oops`);
    await bob.call('message:delete', { channel, id: sent.id });
    expect(await alice.call('message:search', { query: typo })).toEqual([]);
  });

  it('stops finding a channel once the person left it', async () => {
    const other = (await bob.call('channel:create', { name: uniqueName('garden') })).channel.id;
    await carol.call('channel:join', { channel: other });
    const plant = word();
    await send(bob, other, `the ${plant} needs water`);
    expect(texts(await carol.call('message:search', { query: plant }))).toHaveLength(1);
    await carol.call('channel:leave', { channel: other });
    expect(await carol.call('message:search', { query: plant })).toEqual([]);
  });

  it(`answers the newest ${LIMITS.searchResults} first`, async () => {
    const many = (await alice.call('channel:create', { name: uniqueName('busy') })).channel.id;
    const tag = word();
    for (let i = 1; i <= LIMITS.searchResults + 5; i++) await send(alice, many, `${tag} number ${i}`);
    const hits = await alice.call('message:search', { query: tag });
    expect(texts(hits)).toEqual(
      Array.from({ length: LIMITS.searchResults }, (_, i) => `${tag} number ${LIMITS.searchResults + 5 - i}`),
    );
  });

  it('puts the newest first across channels', async () => {
    const tag = word();
    await send(alice, channel, `${tag} one`);
    await send(bob, dm, `${tag} two`);
    await send(alice, channel, `${tag} three`);
    const times = (await alice.call('message:search', { query: tag })).map((hit) => hit.message.createdAt);
    expect(times).toHaveLength(3);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it.each([
    ['an empty query', { query: '' }, 'Type a word to search for.'],
    ['a blank query', { query: ' \n\u200B ' }, 'Type a word to search for.'],
    ['punctuation only', { query: '?!' }, 'Type a word to search for, not only punctuation.'],
    ['10,000 characters', { query: 'a'.repeat(10_000) }, 'A search can be at most 200 characters.'],
    ['a number', { query: 42 }, 'Type the words to search for.'],
    ['no query', {}, 'Type the words to search for.'],
    ['an unknown field', { query: 'hello', channel: 'general' }, 'Property channel should not exist.'],
  ])('refuses %s with INVALID in words', async (_, payload, message) => {
    const error = await alice.fail('message:search', payload as never);
    expect(error).toMatchObject({ code: 'INVALID', message });
  });

  it('refuses a payload that is not an object', async () => {
    expect(await alice.fail('message:search', 'hello' as never)).toMatchObject({ code: 'INVALID' });
  });
});

describe('message:search rate limit', () => {
  let server: TestServer;
  afterAll(() => server.stop());

  it('answers RATE_LIMITED past SEARCHES_PER_MINUTE, with when to try again', async () => {
    server = await TestServer.start({ SEARCHES_PER_MINUTE: '2' });
    const dave = await server.user(uniqueName('dave'));
    await dave.call('message:search', { query: 'one' });
    await dave.call('message:search', { query: 'two' });
    expect(await dave.fail('message:search', { query: 'three' })).toMatchObject({
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^You are searching too fast\. Try again in \d+ s\.$/),
      retryAfterMs: expect.any(Number),
    });
  });
});
