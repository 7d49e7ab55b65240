import { LIMITS } from '@flack/contract';
import {
  isUUID,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** The words for each way a `files` list can be wrong, or null when it is right. */
export function fileIdsProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'files must be a list of file ids.';
  if (value.length > LIMITS.filesPerMessage) {
    return `A message can carry at most ${LIMITS.filesPerMessage} files.`;
  }
  if (!value.every((id) => typeof id === 'string' && isUUID(id))) {
    return 'Each file is named by the id its upload answered (a UUID).';
  }
  if (new Set(value).size !== value.length) return 'The same file is listed twice.';
  return null;
}

/**
 * `message:send`'s `files`: at most LIMITS.filesPerMessage distinct upload ids. One constraint over
 * the whole list rather than `{ each: true }` rules, which the send path's lean check cannot run
 * (common/validation/flat-payload-check.ts): a text-only send keeps the lean path, and a send with
 * files, not flat, takes the full pipe through this same rule.
 */
@ValidatorConstraint({ name: 'fileIds' })
export class FileIdsConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return fileIdsProblem(value) === null;
  }

  defaultMessage(args?: ValidationArguments): string {
    return fileIdsProblem(args?.value) ?? '';
  }
}

export const IsFileIds = (): PropertyDecorator => Validate(FileIdsConstraint);

/**
 * With files attached a message may have no text: the text rule is skipped for an empty `text`
 * exactly when `files` is a non-empty list (whose own rule still applies).
 */
export function textRequired(payload: object): boolean {
  const { text, files } = payload as { text?: unknown; files?: unknown };
  return !(text === '' && Array.isArray(files) && files.length > 0);
}
