import { isEmoji, type ReactionPayload } from '@flack/contract';
import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { MessageRefDto } from './message-change.dto.js';

/**
 * Emoji that passed: the RGI list is finite (under 4,000 sequences), so this cannot grow past it,
 * and what failed is never kept. `isEmoji` takes several microseconds (a `v`-flag property of
 * strings), a lookup here well under one, and a reaction is a hot event.
 */
const known = new Set<string>();

/** The contract's `isEmoji`, the rule the picker and the composer's `+:emoji:` apply too. */
@ValidatorConstraint({ name: 'emoji' })
export class EmojiConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (known.has(value)) return true;
    if (!isEmoji(value)) return false;
    known.add(value);
    return true;
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
