import { countGraphemes } from '@flack/contract';

/** Why a name cannot be sent as typed, or null when it can. */
export function nameProblem(name: string, maxLength: number): string | null {
  const length = countGraphemes(name.trim());
  if (length === 0) return null;
  return length > maxLength ? `${length} characters is too long: the limit is ${maxLength}.` : null;
}

/** Channels and people in list order: by name as a reader compares them (case and accents aside), then id. */
export function byName(a: { id: string; name: string }, b: { id: string; name: string }): number {
  return a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id.localeCompare(b.id);
}
