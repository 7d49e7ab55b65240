import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_EVENTS, ERROR_CODES, type AckResponse } from '@flack/contract';
import fc from 'fast-check';
import { TestServer, uniqueName, type TestUser } from './support/test-app.js';

/**
 * Throws random payloads at every client event. Whatever arrives, the server must stay up and
 * answer each emit exactly once, with a well-formed ack.
 */
describe('fuzzing every client event', () => {
  let server: TestServer;
  let fuzzer: TestUser;
  let channel: string;

  beforeAll(async () => {
    server = await TestServer.start();
    fuzzer = await server.user(uniqueName('fuzzer'));
    channel = uniqueName('fuzzed');
    await fuzzer.call('channel:create', { name: channel });
  });

  afterAll(async () => {
    await server.stop();
  });

  /** Emits and collects every ack that arrives until a later round trip completes. */
  async function acksFor(event: string, args: unknown[]): Promise<AckResponse<unknown>[]> {
    const answers: AckResponse<unknown>[] = [];
    const socket = fuzzer.socket;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${event} ${JSON.stringify(args)}`)), 5000);
      (socket.emit as (event: string, ...rest: unknown[]) => void)(
        event,
        ...args,
        (answer: AckResponse<unknown>) => {
          answers.push(answer);
          clearTimeout(timer);
          resolve();
        },
      );
    });
    // A duplicate ack would have been written before the answer to this round trip.
    await fuzzer.call('channel:list');
    return answers;
  }

  const fieldValue = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 2 }),
    fc.uuid(),
  );
  /** Payloads that look almost right: the contract's field names with random values and extras. */
  const nearMiss = fc.record(
    {
      channel: fc.oneof(fieldValue, fc.constant('fuzzed')),
      name: fieldValue,
      text: fieldValue,
      clientId: fieldValue,
      afterSeq: fieldValue,
      query: fc.oneof(fieldValue, fc.constantFrom('hello', 'café ❤️', '東京', '?!')),
      topic: fieldValue,
      id: fieldValue,
      emoji: fc.oneof(fieldValue, fc.constantFrom('👍', '👍🏽', '🇫🇷', '👩‍💻', '1️⃣', ':+1:')),
      replyTo: fieldValue,
      extra: fieldValue,
    },
    { requiredKeys: [] },
  );
  const payloads = fc.array(fc.oneof(fc.anything({ maxDepth: 3 }), nearMiss), { maxLength: 3 });

  it.each(CLIENT_EVENTS.filter((event) => event !== 'session:forget'))(
    '%s answers every random payload exactly once',
    async (event) => {
      await fc.assert(
        fc.asyncProperty(payloads, async (args) => {
          const answers = await acksFor(event, args);
          expect(answers).toHaveLength(1);
          const [answer] = answers;
          if (answer.ok) {
            expect(answer).toHaveProperty('data');
          } else {
            expect(ERROR_CODES).toContain(answer.error.code);
            expect(answer.error.code).not.toBe('INTERNAL');
            expect(typeof answer.error.message).toBe('string');
          }
        }),
        { numRuns: 150 },
      );
      expect(fuzzer.socket.connected).toBe(true);
      expect((await server.get('/api/health')).status).toBe(200);
    },
  );
});
