// Search across instances: every instance reads the one shared history, so what was written on one
// is found from another, and membership (kept on Redis too) decides there as well.
// (Named .redis-spec.ts like its neighbours: `npm run test:redis` runs those, `npm test` does not.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { send, uniqueName } from '../support/test-app.js';
import { Cluster } from './support/cluster.js';
import type { FlackInstance } from './support/flack-instance.js';

describe('message:search on three instances sharing one Redis', () => {
  const cluster = new Cluster();
  const { userOn } = cluster;
  let a: FlackInstance;
  let b: FlackInstance;
  let c: FlackInstance;

  beforeAll(async () => {
    ({ a, b, c } = await cluster.start());
  }, 60_000);

  afterAll(() => cluster.stop());

  it('finds from one instance what was written on others, in channels and direct conversations', async () => {
    const [alice, bob, carol] = await Promise.all([userOn(a), userOn(b), userOn(c)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('shared') });
    await bob.call('channel:join', { channel: channel.id });
    await carol.call('channel:join', { channel: channel.id });
    const dm = (await bob.call('dm:open', { userId: carol.id })).channel.id;
    const word = uniqueName('zq');

    const inChannel = await send(alice, channel.id, `Über ${word} on a`);
    const inDm = await send(bob, dm, `${word} between b and c`);
    const inChannelFromC = await send(carol, channel.id, `and ${word} on c`);

    // Newest first: what c wrote last, then b's, then a's; each instance answers alike.
    expect((await carol.call('message:search', { query: `${word}` })).map((hit) => hit.message.id)).toEqual([
      inChannelFromC.id,
      inDm.id,
      inChannel.id,
    ]);
    expect((await bob.call('message:search', { query: `uber ${word}` })).map((hit) => hit.message)).toEqual([
      inChannel,
    ]);
    // Alice is not in Bob and Carol's conversation, whichever instance she asks.
    expect((await alice.call('message:search', { query: word })).map((hit) => hit.message.id)).toEqual([
      inChannelFromC.id,
      inChannel.id,
    ]);
  });

  it('stops finding what was deleted on another instance, and a channel left there', async () => {
    const [alice, bob] = await Promise.all([userOn(a), userOn(b)]);
    const { channel } = await alice.call('channel:create', { name: uniqueName('changing') });
    await bob.call('channel:join', { channel: channel.id });
    const word = uniqueName('zq');
    const sent = await send(alice, channel.id, `${word} soon gone`);
    await send(alice, channel.id, `${word} stays`);
    await alice.call('message:delete', { channel: channel.id, id: sent.id });
    expect((await bob.call('message:search', { query: word })).map((hit) => hit.message.text)).toEqual([
      `${word} stays`,
    ]);
    const bobOnC = await cluster.tabOn(c, bob.session);
    await bobOnC.call('channel:leave', { channel: channel.id });
    expect(await bob.call('message:search', { query: word })).toEqual([]);
  });
});
