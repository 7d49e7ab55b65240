import { ValidationPipe, type ArgumentMetadata, type Type, type ValidationError } from '@nestjs/common';
import { AppError } from './app-error.js';
import { compileFlatPayloadCheck, type FlatPayloadCheck } from './flat-payload-check.js';

/** Turns class-validator's errors into INVALID with the messages grouped by field. */
function toInvalid(errors: ValidationError[]): AppError {
  const details: Record<string, string[]> = {};
  const collect = (error: ValidationError, path: string) => {
    const field = path ? `${path}.${error.property}` : error.property;
    if (error.constraints) details[field || 'payload'] = Object.values(error.constraints);
    error.children?.forEach((child) => collect(child, field));
  };
  errors.forEach((error) => collect(error, ''));
  const fields = Object.keys(details);
  const message =
    fields.length === 0 || fields[0] === 'payload'
      ? 'The request is not in the expected shape.'
      : `Please check: ${fields.join(', ')}.`;
  return new AppError('INVALID', message, { details });
}

/** Keys that class-transformer silently drops (to prevent prototype pollution) instead of reporting. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

class StrictValidationPipe extends ValidationPipe {
  private readonly flatChecks = new Map<Type, FlatPayloadCheck | undefined>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    // The app-wide pipe runs before a parameter's own and already made this instance out of a
    // plain payload (JSON holds none): nothing is left to check.
    if (metatype && value instanceof metatype) return value;
    if (typeof value === 'object' && value !== null) {
      const smuggled = PROTOTYPE_KEYS.filter((key) => Object.hasOwn(value, key));
      if (smuggled.length > 0) {
        const details = Object.fromEntries(
          smuggled.map((key) => [key, [`property ${key} should not exist`]]),
        );
        throw new AppError('INVALID', `Please check: ${smuggled.join(', ')}.`, { details });
      }
      // The lean path, taken by every chat message: see compileFlatPayloadCheck. What it cannot
      // vouch for, failures included, goes through the full pipe, which builds the error answer.
      const checked = this.flatCheckFor(metadata)?.(value);
      if (checked) return checked;
    }
    return super.transform(value, metadata);
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

/**
 * One validation policy for HTTP bodies and socket payloads: unknown fields are refused rather than
 * dropped, so a client bug shows up as INVALID instead of silently doing something else.
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: toInvalid,
  });
}
