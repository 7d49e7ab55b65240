/**
 * Cross-site WebSocket hijacking guard. Browsers always send `Origin` on a WebSocket handshake, so a
 * page on another site is refused unless listed. Without an `Origin` header the client is not a
 * browser (a script, a bot, a test): no browser cookie or ambient authority is involved, and it
 * must still present a valid session token, so it is allowed.
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
) {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && parsed.host === host.toLowerCase()) return true;
  return allowed.some((entry) => entry === parsed.origin);
}
