import { describe, expect, it } from '@jest/globals';
import { LIMITS } from '@flack/contract';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MinLength,
  ValidateNested,
  validateSync,
  type ValidatorOptions,
} from 'class-validator';
import fc from 'fast-check';
import { ChannelRefDto, CreateChannelDto, HistoryDto } from '../../channels/dto/channel.dto.js';
import { SendMessageDto } from '../../messages/dto/send-message.dto.js';
import { compileFlatPayloadCheck } from './flat-payload-check.js';

const OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/** What ValidationPipe does for a flat payload: a new instance, then class-validator. */
function acceptedByClassValidator<T extends object>(dto: new () => T, payload: object): boolean {
  return validateSync(Object.assign(new dto(), payload), OPTIONS).length === 0;
}

class Nested {
  @ValidateNested()
  @Type(() => CreateChannelDto)
  inner!: CreateChannelDto;
}

class Transformed {
  @Type(() => Number)
  @IsInt()
  count!: number;
}

class MustBeDefined {
  @IsDefined()
  value!: string;
}

class Each {
  @IsString({ each: true })
  tags!: string[];
}

class OptionalText {
  @IsOptional()
  @IsString()
  @MinLength(2)
  text?: string;

  @Matches(/^[a-z]+$/)
  slug!: string;
}

describe('compileFlatPayloadCheck', () => {
  const send = compileFlatPayloadCheck(SendMessageDto, OPTIONS)!;
  const valid = { channel: 'general', text: 'hello', clientId: '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed' };

  it('turns a valid flat payload into an instance of the DTO with the same fields', () => {
    const checked = send(valid);
    expect(checked).toBeInstanceOf(SendMessageDto);
    expect({ ...checked }).toEqual(valid);
  });

  it('vouches for nothing it cannot check: unknown keys, nested values, failed rules', () => {
    expect(send({ ...valid, author: 'x' })).toBeUndefined();
    expect(send({ ...valid, text: { $gt: '' } })).toBeUndefined();
    expect(send({ ...valid, text: ['a'] })).toBeUndefined();
    expect(send({ ...valid, text: null })).toBeUndefined();
    expect(send({ ...valid, text: ' \n ' })).toBeUndefined();
    expect(send({ ...valid, clientId: 'not-a-uuid' })).toBeUndefined();
    expect(send({ channel: 'general', text: 'hello' })).toBeUndefined();
  });

  it('skips rules on an absent optional field, as class-validator does', () => {
    const history = compileFlatPayloadCheck(HistoryDto, OPTIONS)!;
    expect(history({ channel: 'general' })).toBeInstanceOf(HistoryDto);
    expect(history({ channel: 'general', afterSeq: 3 })).toBeInstanceOf(HistoryDto);
    expect(history({ channel: 'general', afterSeq: 1.5 })).toBeUndefined();
    expect(history({ channel: 'general', afterSeq: -1 })).toBeUndefined();
  });

  it('gives no check for DTOs that need class-transformer or rules it does not replay', () => {
    expect(compileFlatPayloadCheck(Nested, OPTIONS)).toBeUndefined();
    expect(compileFlatPayloadCheck(Transformed, OPTIONS)).toBeUndefined();
    expect(compileFlatPayloadCheck(MustBeDefined, OPTIONS)).toBeUndefined();
    expect(compileFlatPayloadCheck(Each, OPTIONS)).toBeUndefined();
    expect(compileFlatPayloadCheck(class NoRules {}, OPTIONS)).toBeUndefined();
    expect(
      compileFlatPayloadCheck(SendMessageDto, { ...OPTIONS, skipMissingProperties: true }),
    ).toBeUndefined();
    expect(compileFlatPayloadCheck(SendMessageDto, { ...OPTIONS, groups: ['admin'] })).toBeUndefined();
  });

  // The check may send a payload the long way round, but must never accept what class-validator
  // rejects, nor reject what it would accept when the payload is flat and has only known keys.
  const flatValue = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('', ' ', '\u00a0', 'general', '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', 'abc'),
    fc.uuid(),
    fc.integer({ min: -5, max: 5 }),
    fc.double(),
    fc.boolean(),
  );
  const cases: [string, new () => object, string[]][] = [
    ['SendMessageDto', SendMessageDto, ['channel', 'text', 'clientId']],
    ['HistoryDto', HistoryDto, ['channel', 'afterSeq']],
    ['ChannelRefDto', ChannelRefDto, ['channel']],
    ['OptionalText', OptionalText, ['text', 'slug']],
  ];

  it.each(cases)('agrees with class-validator on %s for any flat payload of known keys', (_, dto, keys) => {
    const check = compileFlatPayloadCheck(dto, OPTIONS)!;
    const payload = fc.record(Object.fromEntries(keys.map((key) => [key, flatValue])), { requiredKeys: [] });
    fc.assert(
      fc.property(payload, (value) => {
        expect(check(value) !== undefined).toBe(acceptedByClassValidator(dto, value));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with class-validator on long and multi-byte texts at the length limit', () => {
    const max = LIMITS.messageMaxLength;
    const texts = [
      'a'.repeat(max),
      'a'.repeat(max + 1),
      '😀'.repeat(max),
      '😀'.repeat(max + 1),
      'é'.repeat(max),
    ];
    for (const text of texts) {
      const payload = { ...valid, text };
      expect(send(payload) !== undefined).toBe(acceptedByClassValidator(SendMessageDto, payload));
    }
  });
});
