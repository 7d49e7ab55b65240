import { searchQueryProblem, type SearchPayload } from '@flack/contract';
import {
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/**
 * The contract's query rule (`searchQueryProblem`: words, not blank, at most 200 characters as a
 * person counts them) as a class-validator constraint, so the server refuses what the app refuses,
 * in the same words. Counting stops past the limit, so a 10,000-character query costs nothing.
 */
@ValidatorConstraint({ name: 'searchQuery' })
export class SearchQueryConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && searchQueryProblem(value) === null;
  }

  defaultMessage({ value }: ValidationArguments): string {
    return typeof value === 'string' ? (searchQueryProblem(value) ?? '') : 'Type the words to search for.';
  }
}

export class SearchDto implements SearchPayload {
  @Validate(SearchQueryConstraint)
  query!: string;
}
