// Editing and deleting a message: the author only, seen live by every member, and for good.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { connected, next, send, sendMessage, TestServer, twoInAChannel } from './support/test-app.js';

let server: TestServer;

beforeAll(async () => {
  server = await TestServer.start();
});

afterAll(async () => {
  await server.stop();
});

describe('editing and deleting messages', () => {
  it('lets the author edit: every member sees the new text, marked edited', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const sent = await send(alice, channel, 'helo');
    const bobSees = next(bob.socket, 'message:updated');

    const edited = await alice.call('message:edit', { channel, id: sent.id, text: 'hello' });

    expect(edited).toMatchObject({ id: sent.id, seq: sent.seq, text: 'hello' });
    expect(Date.parse(edited.editedAt ?? '')).not.toBeNaN();
    expect(await bobSees).toEqual(edited);
    const { messages } = await bob.call('channel:history', { channel });
    expect(messages.map((m) => m.text)).toEqual(['hello']);
  });

  it('refuses an edit or delete by anyone but the author, and changes nothing', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const sent = await send(alice, channel, 'mine');

    expect(await bob.fail('message:edit', { channel, id: sent.id, text: 'yours now' })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await bob.fail('message:delete', { channel, id: sent.id })).toMatchObject({ code: 'FORBIDDEN' });

    const { messages } = await alice.call('channel:history', { channel });
    expect(messages).toEqual([sent]);
  });

  it('deletes once: the text is gone for everyone, the seq stays, a second delete is NOT_FOUND', async () => {
    const { alice, bob, channel } = await twoInAChannel(server);
    const sent = await send(alice, channel, 'oops, secret');
    await send(alice, channel, 'after it');
    const bobSees = next(bob.socket, 'message:updated');

    const tombstone = await alice.call('message:delete', { channel, id: sent.id });

    expect(tombstone).toMatchObject({ id: sent.id, seq: sent.seq, text: '' });
    expect(tombstone.deletedAt).toBeDefined();
    expect(await bobSees).toEqual(tombstone);
    expect(await alice.fail('message:delete', { channel, id: sent.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await alice.fail('message:edit', { channel, id: sent.id, text: 'back' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    const { messages } = await bob.call('channel:history', { channel });
    expect(messages.map((m) => [m.seq, m.text])).toEqual([
      [1, ''],
      [2, 'after it'],
    ]);
    expect(JSON.stringify(messages)).not.toContain('secret');
  });

  it('two tabs deleting at once: one removal, one clean NOT_FOUND', async () => {
    const { alice, channel } = await twoInAChannel(server);
    const secondTab = await connected(server.socket(alice.session.token));
    const sent = await send(alice, channel, 'delete me twice');

    const answers = await Promise.all([
      alice.socket.timeout(5000).emitWithAck('message:delete', { channel, id: sent.id }),
      secondTab.timeout(5000).emitWithAck('message:delete', { channel, id: sent.id }),
    ]);

    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok)).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'NOT_FOUND' }) },
    ]);
    secondTab.disconnect();
  });

  it('does not let a late retry of the original send bring deleted text back', async () => {
    const { alice, channel } = await twoInAChannel(server);
    const clientId = randomUUID();
    const sent = await sendMessage(alice, { channel, text: 'regret', clientId });
    await alice.call('message:delete', { channel, id: sent.id });

    // The ack names the same message, and what the sender's tabs receive is still the tombstone.
    const retried = await send(alice, channel, 'regret', clientId);

    expect(retried).toMatchObject({ id: sent.id, text: '' });
    expect(retried.deletedAt).toBeDefined();
  });
});
