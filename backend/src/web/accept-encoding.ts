/** The content codings the build writes beside each file (`.br`, `.gz`), and none. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** Identity when the header does not name it: acceptable, but after any coding it names. */
const UNNAMED_IDENTITY = 0.0001;

/** Preferred first when the client weighs two codings the same: the smallest file wins. */
const PREFERENCE: readonly Encoding[] = ['br', 'gzip', 'identity'];

/**
 * The coding to send, from the request's `Accept-Encoding` (RFC 9110 §12.5.3) and the codings
 * the file has (`identity` always). The highest q-value wins, ties go to br, then gzip; `q=0`
 * refuses a coding, `*` stands for every coding not named, and identity is acceptable unless
 * refused by name or by `*;q=0` (but, not named, it comes after every coding that is). Without the header, identity: a client that names no coding may
 * not be able to decode one. `null` when nothing the file has is acceptable (answer 406).
 */
export function chooseEncoding(
  header: string | undefined,
  available: ReadonlySet<Encoding>,
): Encoding | null {
  if (header === undefined) return available.has('identity') ? 'identity' : null;
  const weights = parseAcceptEncoding(header);
  const wildcard = weights.get('*');
  let best: Encoding | null = null;
  let bestWeight = 0;
  for (const encoding of PREFERENCE) {
    if (!available.has(encoding)) continue;
    const weight = weights.get(encoding) ?? wildcard ?? (encoding === 'identity' ? UNNAMED_IDENTITY : 0);
    if (weight > bestWeight) {
      best = encoding;
      bestWeight = weight;
    }
  }
  return best;
}

/** `gzip;q=0.8, br, *;q=0` → Map { gzip → 0.8, br → 1, * → 0 }. Malformed entries are left out. */
export function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [token = '', ...params] = entry.split(';').map((part) => part.trim());
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/i.test(token)) continue;
    let weight = 1;
    for (const param of params) {
      const [name, value] = param.split('=').map((part) => part.trim());
      if (name?.toLowerCase() !== 'q') continue;
      weight = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value ?? '') ? Number(value) : NaN;
    }
    if (Number.isNaN(weight)) continue;
    const name = token.toLowerCase() === 'x-gzip' ? 'gzip' : token.toLowerCase();
    // A coding named twice keeps its first weight.
    if (!weights.has(name)) weights.set(name, weight);
  }
  return weights;
}
