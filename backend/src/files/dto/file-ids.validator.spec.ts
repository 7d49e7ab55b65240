import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '@flack/contract';
import { randomUUID } from 'node:crypto';
import { compileFlatPayloadCheck } from '../../common/validation/flat-payload-check.js';
import { createValidationPipe } from '../../common/validation/validation.js';
import { SendMessageDto } from '../../messages/dto/send-message.dto.js';
import { fileIdsProblem } from './file-ids.validator.js';

const body = { type: 'body', metatype: SendMessageDto, data: undefined } as const;
const pipe = createValidationPipe();
const send = (payload: object) => pipe.transform(payload, body);
const base = () => ({ channel: 'lounge', text: 'hi', clientId: randomUUID() });

describe('message:send with files', () => {
  it('keeps the lean check for text-only sends and hands sends with files to the full pipe', () => {
    const check = compileFlatPayloadCheck(SendMessageDto, { whitelist: true, forbidNonWhitelisted: true });
    expect(check).toBeDefined();
    expect(check!(base())).toBeInstanceOf(SendMessageDto);
    expect(check!({ ...base(), files: [randomUUID()] })).toBeUndefined();
  });

  it('takes an empty text only with files', async () => {
    const files = [randomUUID()];
    await expect(send({ ...base(), text: '', files })).resolves.toMatchObject({ text: '', files });
    await expect(send({ ...base(), text: '' })).rejects.toMatchObject({ code: 'INVALID' });
    await expect(send({ ...base(), text: '', files: [] })).rejects.toMatchObject({ code: 'INVALID' });
    await expect(send({ ...base(), text: '   ', files })).rejects.toMatchObject({ code: 'INVALID' });
    await expect(send({ ...base(), text: 42, files })).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('says what is wrong with a files list', async () => {
    const id = randomUUID();
    const cases: [unknown, RegExp | null][] = [
      [[id], null],
      [Array.from({ length: LIMITS.filesPerMessage }, () => randomUUID()), null],
      [Array.from({ length: LIMITS.filesPerMessage + 1 }, () => randomUUID()), /at most 10 files/],
      [[id, id], /listed twice/],
      [['nope'], /UUID/],
      [[42], /UUID/],
      ['not-a-list', /list of file ids/],
      [{ 0: id }, /list of file ids/],
    ];
    for (const [files, problem] of cases) {
      if (problem === null) expect(fileIdsProblem(files)).toBeNull();
      else expect(fileIdsProblem(files)).toMatch(problem);
    }
    await expect(send({ ...base(), files: [id, id] })).rejects.toMatchObject({
      code: 'INVALID',
      message: 'The same file is listed twice.',
    });
  });
});
