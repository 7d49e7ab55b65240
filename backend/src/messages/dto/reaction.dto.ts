import { isEmoji, type ReactionPayload } from '@flack/contract';
import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { MessageRefDto } from './message-change.dto.js';

/** The contract's `isEmoji`, the rule the picker and the composer's `+:emoji:` apply too. */
@ValidatorConstraint({ name: 'emoji' })
export class EmojiConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isEmoji(value);
  }

  defaultMessage(): string {
    return 'That is not an emoji Flack knows.';
  }
}

/** `message:react` and `message:unreact`: which message, and one emoji. */
export class ReactionDto extends MessageRefDto implements ReactionPayload {
  @Validate(EmojiConstraint)
  emoji!: string;
}
