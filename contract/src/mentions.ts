/** After `@name`, one of these means a longer name (`@alice-b` is not `@alice`, `@josé` not `@jose`). */
const NAME_CHARACTER = /[\p{L}\p{N}\p{M}_-]/u;
/** NFKC can make a name shorter than what was typed (`ﬁ` → `fi`), never this many times longer. */
const MAX_EXPANSION = 4;

/** Width- and case-folded, as names are compared. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The character starting at `index` (a whole surrogate pair), or undefined past either end. */
function characterAt(text: string, index: number): string | undefined {
  const code = index < 0 ? undefined : text.codePointAt(index);
  return code === undefined ? undefined : String.fromCodePoint(code);
}

/** The character ending just before `index`. */
function characterBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  const pair = low >= 0xdc00 && low <= 0xdfff && index >= 2;
  return characterAt(text, pair ? index - 2 : index - 1);
}

/**
 * Where the first `@name` from `from` on starts and ends in `text` (indexes into `text` as written),
 * or null: the name compared width- and case-folded, not inside a longer name (`@alice-b` is not
 * `@alice`) nor an address (`bob@alice.example`). The server counts mentions with it and the app
 * highlights them with it, so both always agree.
 */
export function findMention(text: string, name: string, from = 0): [number, number] | null {
  const wanted = fold(name.trim());
  if (wanted === '') return null;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', at + 1)) {
    const before = characterBefore(text, at);
    if (before !== undefined && NAME_CHARACTER.test(before)) continue;
    const limit = Math.min(text.length, at + 1 + wanted.length * MAX_EXPANSION);
    for (let end = at + 2; end <= limit; end++) {
      if (fold(text.slice(at + 1, end)) !== wanted) continue;
      const after = characterAt(text, end);
      if (after === undefined || !NAME_CHARACTER.test(after)) return [at, end];
    }
  }
  return null;
}

/** Whether `text` mentions `name` as `@name` (see findMention). */
export function mentionsName(text: string, name: string): boolean {
  return findMention(text, name) !== null;
}
