/** Characters that continue a name: after `@alice`, a letter, digit, `_` or `-` means another name. */
const NAME_CHARACTER = /[\p{L}\p{N}_-]/u;

/** Names compare width- and case-folded, as the server compares them. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Whether `text` mentions `name` as `@name`: not inside a longer name (`@alice-b` is not `@alice`)
 * nor an address (`bob@alice.example`). Used by the server for unread mention counts and by the
 * app for highlights and notifications, so both agree.
 */
export function mentionsName(text: string, name: string): boolean {
  const needle = `@${fold(name.trim())}`;
  if (needle.length === 1) return false;
  const haystack = fold(text);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    const startsWord = before === undefined || !NAME_CHARACTER.test(before);
    const endsName = after === undefined || !NAME_CHARACTER.test(after);
    if (startsWord && endsName) return true;
  }
  return false;
}
