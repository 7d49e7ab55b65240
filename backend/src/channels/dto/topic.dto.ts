import { topicProblem, type TopicPayload } from '@flack/contract';
import {
  IsString,
  Length,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { CHANNEL_REF } from './channel.dto.js';

/**
 * The contract's topic rule (`topicProblem`: one line, at most 250 characters as a person counts
 * them; blank clears it), so the server refuses exactly what the topic field refuses, in its words.
 */
@ValidatorConstraint({ name: 'topic' })
export class TopicConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && topicProblem(value) === null;
  }

  defaultMessage({ value }: ValidationArguments): string {
    return typeof value === 'string' ? (topicProblem(value) ?? '') : 'A topic must be text.';
  }
}

export class TopicDto implements TopicPayload {
  @IsString(CHANNEL_REF)
  @Length(1, 1024, CHANNEL_REF)
  channel!: string;

  /** '' (or blank) clears the topic. */
  @Validate(TopicConstraint)
  topic!: string;
}
