import { messageTextProblem } from '@flack/contract';
import {
  ValidatorConstraint,
  Validate,
  type ValidatorConstraintInterface,
  type ValidationArguments,
} from 'class-validator';

/**
 * The message-text rule of the contract (`messageTextProblem`: not blank, at most 2,000 characters
 * as a person counts them), as a class-validator constraint, so the server refuses exactly what the
 * composer refuses, with the composer's words. The frame cap (LIMITS.maxFrameBytes) bounds bytes.
 */
@ValidatorConstraint({ name: 'messageText' })
export class MessageTextConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && messageTextProblem(value) === null;
  }

  defaultMessage({ value }: ValidationArguments): string {
    return typeof value === 'string' ? (messageTextProblem(value) ?? '') : 'A message must be text.';
  }
}

export const IsMessageText = (): PropertyDecorator => Validate(MessageTextConstraint);
