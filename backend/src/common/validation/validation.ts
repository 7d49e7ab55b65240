import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type Type,
  type ValidationError,
} from '@nestjs/common';
import { AppError } from '../app-error.js';
import { compileFlatPayloadCheck, type FlatPayloadCheck } from './flat-payload-check.js';
import { refuseOversizedShape } from './payload-shape.js';

/** "text must be a string" → "Text must be a string." (constraint messages written as sentences stay as they are). */
function asSentence(message: string): string {
  const capital = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Turns class-validator's errors into INVALID: the messages by field in `details`, and the first of
 * them, as a sentence a person can read, as the message.
 */
function toInvalid(errors: ValidationError[]): AppError {
  const details: Record<string, string[]> = {};
  const collect = (error: ValidationError, path: string) => {
    const field = path ? `${path}.${error.property}` : error.property;
    if (error.constraints) details[field || 'payload'] = Object.values(error.constraints);
    error.children?.forEach((child) => collect(child, field));
  };
  errors.forEach((error) => collect(error, ''));
  const [first] = Object.entries(details);
  const message =
    !first || first[0] === 'payload' ? 'The request is not in the expected shape.' : asSentence(first[1][0]);
  return new AppError('INVALID', message, { details });
}

/** Keys that class-transformer silently drops (to prevent prototype pollution) instead of reporting. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** INVALID for a payload with any of PROTOTYPE_KEYS of its own. */
function smuggling(value: object): AppError {
  const smuggled = PROTOTYPE_KEYS.filter((key) => Object.hasOwn(value, key));
  const details = Object.fromEntries(smuggled.map((key) => [key, [`property ${key} should not exist`]]));
  return new AppError('INVALID', `The request has a field it must not have: ${smuggled.join(', ')}.`, {
    details,
  });
}

/**
 * One validation policy for HTTP bodies and socket payloads: unknown fields are refused rather than
 * dropped, so a client bug shows up as INVALID instead of silently doing something else. One
 * instance serves the whole app (`app.useGlobalPipes`), the hot path included (common/ws/hot-path.ts).
 */
@Injectable()
export class FlackValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: toInvalid,
    });
  }

  private readonly flatChecks = new Map<Type, FlatPayloadCheck | undefined>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return this.transformLean(value, metadata) ?? super.transform(value, metadata);
  }

  /**
   * What `transform` answers, synchronously, for a payload the lean path vouches for (every chat
   * message: see compileFlatPayloadCheck); undefined for one that needs the full pipe, which
   * builds the error answer. Throws INVALID for a payload refused before either.
   */
  transformLean(value: unknown, metadata: ArgumentMetadata): object | undefined {
    // Custom parameters (the session's user) are not payloads.
    if (metadata.type !== 'custom') refuseOversizedShape(value);
    if (typeof value !== 'object' || value === null) return undefined;
    for (const key of PROTOTYPE_KEYS) if (Object.hasOwn(value, key)) throw smuggling(value);
    return this.flatCheckFor(metadata)?.(value);
  }

  private flatCheckFor({ metatype, type }: ArgumentMetadata): FlatPayloadCheck | undefined {
    // Custom decorators are not validated (validateCustomDecorators is off); transform options
    // would change what the full pipe makes of a payload.
    if (!metatype || type === 'custom' || this.transformOptions) return undefined;
    if (!this.flatChecks.has(metatype)) {
      this.flatChecks.set(metatype, compileFlatPayloadCheck(metatype, this.validatorOptions));
    }
    return this.flatChecks.get(metatype);
  }
}

/** The pipe, for a test or tool that validates without an app. */
export function createValidationPipe(): FlackValidationPipe {
  return new FlackValidationPipe();
}
