import type { Type } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes, type ValidatorOptions } from 'class-validator';
import { createRequire } from 'node:module';

/** What class-transformer knows about a class; read to tell whether it would change a payload. */
interface TransformerMetadata {
  getStrategy(target: Type): string;
  getExposedMetadatas(target: Type): unknown[];
  getExcludedMetadatas(target: Type): unknown[];
  findTypeMetadata(target: Type, property: string): unknown;
  findTransformMetadatas(target: Type, property: string, transformationType: number): unknown[];
}
const transformerMetadata = (
  createRequire(import.meta.url)('class-transformer/cjs/storage') as {
    defaultMetadataStorage: TransformerMetadata;
  }
).defaultMetadataStorage;
/** class-transformer's TransformationType.PLAIN_TO_CLASS. */
const PLAIN_TO_CLASS = 0;

interface Constraint {
  validate(value: unknown, args: object): unknown;
}
interface PropertyCheck {
  property: string;
  /** `@IsOptional()` and the like: when one says no, the property is not validated. */
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: { constraint: Constraint; constraints: unknown[] }[];
}

/**
 * Checks a plain payload against a DTO and returns it as a new instance of the DTO, or undefined
 * when the payload is not one the check can vouch for.
 */
export type FlatPayloadCheck = (payload: object) => object | undefined;

const isFlatValue = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const isThenable = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * A lean equivalent of `plainToInstance` + `validateSync` for DTOs whose payloads are flat: it runs
 * the very constraint functions class-validator would (`@IsString`, `@Length`, `@IsUUID`, ...) but
 * builds none of the error objects class-validator makes for every property of every call.
 *
 * It only vouches for a payload, never rejects one: a payload with a key the DTO does not declare,
 * a value that is not a string, number or boolean, or any failed constraint gets undefined, and the
 * caller sends it through the full ValidationPipe, which builds the error answer. A DTO that uses
 * anything else — class-transformer decorators, nested or `each` validation, `@IsDefined`,
 * `@ValidateIf`-style conditions on single rules, async constraints, validation groups — gets no
 * lean check at all (undefined).
 */
export function compileFlatPayloadCheck(
  metatype: Type,
  options: ValidatorOptions,
): FlatPayloadCheck | undefined {
  if (
    options.groups?.length ||
    options.strictGroups ||
    options.always ||
    options.skipMissingProperties ||
    options.skipNullProperties ||
    options.skipUndefinedProperties
  ) {
    return undefined;
  }
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false);
  if (metadatas.length === 0) return undefined;

  const checks = new Map<string, PropertyCheck>();
  for (const metadata of metadatas) {
    const { propertyName: property } = metadata;
    let check = checks.get(property);
    if (!check) checks.set(property, (check = { property, conditions: [], rules: [] }));
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      check.conditions.push(metadata.constraints[0] as PropertyCheck['conditions'][number]);
      continue;
    }
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION || metadata.each || metadata.validateIf) {
      return undefined;
    }
    for (const constraintMetadata of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
      if (constraintMetadata.async) return undefined;
      check.rules.push({
        constraint: constraintMetadata.instance as Constraint,
        constraints: metadata.constraints,
      });
    }
  }

  const properties = new Set(checks.keys());
  const transformed =
    transformerMetadata.getStrategy(metatype) !== 'none' ||
    transformerMetadata.getExposedMetadatas(metatype).length > 0 ||
    transformerMetadata.getExcludedMetadatas(metatype).length > 0 ||
    [...properties].some(
      (property) =>
        transformerMetadata.findTypeMetadata(metatype, property) !== undefined ||
        transformerMetadata.findTransformMetadatas(metatype, property, PLAIN_TO_CLASS).length > 0,
    );
  if (transformed) return undefined;

  const propertyChecks = [...checks.values()];
  const targetName = metatype.name;
  return (payload) => {
    for (const key in payload) {
      if (!properties.has(key) || !isFlatValue((payload as Record<string, unknown>)[key])) return undefined;
    }
    // What plainToInstance makes of a flat payload: a new instance with the same own properties.
    const instance = Object.assign(new metatype() as object, payload);
    for (const { property, conditions, rules } of propertyChecks) {
      const value = (instance as Record<string, unknown>)[property];
      if (!conditions.every((condition) => condition(instance, value))) continue;
      for (const { constraint, constraints } of rules) {
        const valid = constraint.validate(value, {
          targetName,
          property,
          object: instance,
          value,
          constraints,
        });
        if (!valid || isThenable(valid)) return undefined;
      }
    }
    return instance;
  };
}
