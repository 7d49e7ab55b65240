import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { PinoLoggerService } from './pino-logger.service.js';

/** A logger that writes into an array of parsed JSON lines. */
function capture(level = 'info') {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: new PinoLoggerService(pino({ level }, stream)), lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PinoLoggerService', () => {
  it('writes a message with the context Nest passes last', async () => {
    const { logger, lines } = capture();
    logger.log('Flack is listening on http://127.0.0.1:3000', 'Flack');
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        context: 'Flack',
        msg: 'Flack is listening on http://127.0.0.1:3000',
      }),
    ]);
  });

  it('logs an Error as `err` with its stack', async () => {
    const { logger, lines } = capture();
    logger.error(new Error('boom'), 'ChatGateway');
    await settle();
    expect(lines[0]).toMatchObject({ level: 50, context: 'ChatGateway', err: { message: 'boom' } });
    expect((lines[0]['err'] as { stack: string }).stack).toContain('Error: boom');
  });

  it('turns Nest’s (message, stack, context) error call into an error with that stack', async () => {
    const { logger, lines } = capture();
    logger.error(
      'Something broke',
      'Error: Something broke\n    at handler (file.js:1:1)',
      'ExceptionsHandler',
    );
    await settle();
    expect(lines[0]).toMatchObject({
      level: 50,
      context: 'ExceptionsHandler',
      err: { message: 'Something broke', stack: 'Error: Something broke\n    at handler (file.js:1:1)' },
    });
  });

  it('merges an object message into the line', async () => {
    const { logger, lines } = capture();
    logger.warn({ user: 'u1', reason: 'slow' }, 'Presence');
    await settle();
    expect(lines[0]).toMatchObject({ level: 40, context: 'Presence', user: 'u1', reason: 'slow' });
  });

  it('writes nothing below its level, and nothing at all when silent', async () => {
    const quiet = capture('warn');
    quiet.logger.log('hidden');
    quiet.logger.debug('hidden');
    quiet.logger.verbose('hidden');
    quiet.logger.warn('shown');
    const silent = capture('silent');
    silent.logger.fatal('hidden');
    await settle();
    expect(quiet.lines.map((line) => line['msg'])).toEqual(['shown']);
    expect(silent.lines).toEqual([]);
  });
});
