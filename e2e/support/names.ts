import { randomInt } from 'node:crypto';
import { LIMITS } from '@flack/contract';

// Every spec shares one server and names are unique there, so each test makes up its own.

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random lower-case letters and digits. */
export function randomSuffix(length = 6): string {
  let suffix = '';
  for (let i = 0; i < length; i++) suffix += alphabet[randomInt(alphabet.length)];
  return suffix;
}

/**
 * `alice` -> `alice-k3x9q2`. The suffix has a fixed length, so one generated name is never the
 * start of another (channel links are matched by the start of their accessible name).
 */
export function uniqueName(prefix: string, maxLength: number = LIMITS.displayNameMaxLength): string {
  const suffix = randomSuffix();
  return `${prefix.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
}

export function uniqueChannelName(prefix: string): string {
  return uniqueName(prefix, LIMITS.channelNameMaxLength);
}
