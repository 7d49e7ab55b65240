import { describe, expect, it, jest } from '@jest/globals';
import { Logger, type ArgumentsHost } from '@nestjs/common';
import { AppError } from '../app-error.js';
import { WsAckExceptionFilter } from './ws-ack-exception.filter.js';

const hostWith = (ack: unknown) =>
  ({ getArgByIndex: (index: number) => (index === 2 ? ack : undefined) }) as ArgumentsHost;

describe('WsAckExceptionFilter', () => {
  it('answers an AppError through the ack with its code, message and details', () => {
    const ack = jest.fn();
    new WsAckExceptionFilter().catch(
      new AppError('INVALID', 'Bad.', { details: { text: ['x'] } }),
      hostWith(ack),
    );
    expect(ack).toHaveBeenCalledTimes(1);
    expect(ack).toHaveBeenCalledWith({
      ok: false,
      error: { code: 'INVALID', message: 'Bad.', details: { text: ['x'] } },
    });
  });

  it('answers anything else as INTERNAL without leaking the error', () => {
    const ack = jest.fn();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    new WsAckExceptionFilter().catch(new Error('database password is hunter2'), hostWith(ack));
    const answer = ack.mock.calls[0][0] as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('INTERNAL');
    expect(JSON.stringify(answer)).not.toContain('hunter2');
  });

  it('does nothing when the client asked for no ack', () => {
    expect(() =>
      new WsAckExceptionFilter().catch(new AppError('INVALID', 'x'), hostWith(undefined)),
    ).not.toThrow();
  });
});
