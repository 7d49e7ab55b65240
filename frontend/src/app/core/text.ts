import { countGraphemes } from '@flack/contract';

/** Why a name cannot be sent as typed, or null when it can. */
export function nameProblem(name: string, maxLength: number): string | null {
  const length = countGraphemes(name.trim());
  if (length === 0) return null;
  return length > maxLength ? `${length} characters is too long: the limit is ${maxLength}.` : null;
}

/**
 * How names are put in order everywhere (channels, direct messages, people, the switcher, Browse):
 * as a reader of the browser's language compares them, case and accents aside, and numbers by
 * their value, so Maker2 comes before Maker10.
 */
const nameCollator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Two names in list order (see nameCollator). */
export function compareNames(a: string, b: string): number {
  return nameCollator.compare(a, b);
}

/** Channels and people in list order: by name (compareNames), then id. */
export function byName(a: { id: string; name: string }, b: { id: string; name: string }): number {
  return compareNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
