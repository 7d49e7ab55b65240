import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidatorOptions } from 'class-validator';
import { isThenable } from '../maybe-promise.js';

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

/** What the constraints' arguments point at between checks. */
const NOTHING: object = Object.freeze({});

const isFlatValue = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

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
  if (changedByTransformer(metatype, properties)) return undefined;
  const propertyChecks = [...checks.values()];
  // What class-validator hands a constraint, one object for every call: the checks are
  // synchronous, so no call sees another's, and no constraint keeps it.
  const args = {
    targetName: metatype.name,
    property: '',
    object: NOTHING,
    value: undefined as unknown,
    constraints: [] as unknown[],
  };
  return (payload) => {
    for (const key in payload) {
      if (!properties.has(key) || !isFlatValue((payload as Record<string, unknown>)[key])) return undefined;
    }
    // What plainToInstance makes of a flat payload: a new instance with the same own properties.
    const instance = Object.assign(new metatype() as object, payload);
    const valid = passes(instance);
    // Nothing of this payload stays referenced once it is checked.
    args.object = NOTHING;
    args.value = undefined;
    return valid ? instance : undefined;
  };

  function passes(instance: object): boolean {
    args.object = instance;
    for (const { property, conditions, rules } of propertyChecks) {
      const value = (instance as Record<string, unknown>)[property];
      if (!allHold(conditions, instance, value)) continue;
      args.property = property;
      args.value = value;
      for (const { constraint, constraints } of rules) {
        args.constraints = constraints;
        const valid = constraint.validate(value, args);
        if (!valid || isThenable(valid)) return false;
      }
    }
    return true;
  }
}

/** Whether every condition lets the property be validated (a loop: no closure per property). */
function allHold(conditions: PropertyCheck['conditions'], object: object, value: unknown): boolean {
  for (const condition of conditions) if (!condition(object, value)) return false;
  return true;
}

/**
 * Whether class-transformer would make anything else of a flat payload than a copy (a `@Type`, a
 * `@Transform`, an `@Expose` or `@Exclude`, a strategy): asked through its public API, by turning a
 * probe with a distinct string in every property into an instance and comparing.
 */
function changedByTransformer(metatype: Type, properties: ReadonlySet<string>): boolean {
  const probe: Record<string, string> = {};
  for (const property of properties) probe[property] = `\u0000probe:${property}`;
  const made = plainToInstance(metatype, probe) as Record<string, unknown>;
  if (!(made instanceof metatype)) return true;
  const keys = Object.keys(made);
  return keys.length !== properties.size || keys.some((key) => made[key] !== probe[key]);
}
