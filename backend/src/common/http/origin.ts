import { Logger, type INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type { ServerOptions } from 'socket.io';

/**
 * Where a connection arrived, as the TCP socket reports it (`request.socket`): the server's own
 * address and port, never what the client wrote in `Host`.
 */
export interface ArrivedAt {
  readonly localAddress?: string;
  readonly localPort?: number;
}

/** Host names that always mean this machine: a browser never resolves them through DNS. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** What a refused page is told, at the Engine.IO handshake and at CONNECT alike. */
export const FOREIGN_PAGE_MESSAGE = 'This page is not allowed to connect to Flack.';

/**
 * Whether a page from `origin` may talk to Flack: open a socket, or make a REST call that changes
 * something. Allowed are
 * - the configured origins (`ALLOWED_ORIGINS`: where people open Flack), exactly;
 * - `http://` pages on a loopback host, or on the very address the connection arrived at, at the
 *   port it arrived at: the page this server itself serves to someone who typed that address.
 *
 * The request's `Host` header is never trusted: a DNS-rebinding page (`http://evil.example:3000`,
 * its name pointed at this server) sends a `Host` equal to its own `Origin`, and is refused here
 * because that name is neither configured nor a loopback host nor an address literal.
 *
 * Without an `Origin` the client is not a browser (a script, a bot, a test; every browser sends
 * `Origin` on a WebSocket handshake and on every POST): no browser cookie or ambient authority is
 * involved, and it still needs a session token for anything about a user, so it is allowed.
 */
export function isOriginAllowed(
  origin: string | undefined,
  arrivedAt: ArrivedAt,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let page: URL;
  try {
    page = new URL(origin);
  } catch {
    return false; // `null` (sandboxed frames, some redirects) and anything that is not an origin
  }
  if (allowed.includes(page.origin)) return true;
  if (page.protocol !== 'http:' || Number(page.port || 80) !== arrivedAt.localPort) return false;
  return LOOPBACK_HOSTS.has(page.hostname) || page.hostname === hostOfAddress(arrivedAt.localAddress);
}

/** An IP address as the host part of a URL: `[::1]`, `192.168.1.5` (IPv4-mapped IPv6 unwrapped). */
function hostOfAddress(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  try {
    return new URL(`http://[${address}]`).hostname;
  } catch {
    return undefined; // a scoped address (`fe80::1%eth0`) is no URL host
  }
}

/**
 * An origin as browsers send it (`HTTPS://Chat.Example.org:443/` → `https://chat.example.org`), so
 * a configured one matches exactly. Anything with a path, query or credentials is returned as it
 * was, for the configuration check to refuse.
 */
export function normalizeOrigin(entry: string): string {
  try {
    const url = new URL(entry);
    const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    return bare && !/[?#]/.test(entry) ? url.origin : entry;
  } catch {
    return entry;
  }
}

/** `ALLOWED_ORIGINS`, or none when the app has no configuration (adapter unit tests). */
export function allowedOriginsOf(app: INestApplicationContext): readonly string[] {
  const config = app.get(ConfigService, { strict: false }) as ConfigService | null;
  return config?.get<string[]>('ALLOWED_ORIGINS') ?? [];
}

type AllowRequest = NonNullable<ServerOptions['allowRequest']>;

const log = new Logger('Origin');
/** Refused origins named in the log, at most. */
const MAX_REPORTED_ORIGINS = 20;

/**
 * Engine.IO's `allowRequest`: the transport handshake (`/socket.io/?EIO=4…`, polling or WebSocket)
 * of another site's page is refused with 403 before any Engine.IO session exists; any other
 * request goes on to `then`. Requests of an existing session (`sid`) are not asked again: only
 * the page that made the handshake knows the sid. The CONNECT middleware checks once more.
 */
export function refusingForeignPages(app: INestApplicationContext, then: AllowRequest): AllowRequest {
  let allowed: readonly string[] | undefined;
  const reported = new Set<string>();
  return (request: IncomingMessage, callback) => {
    allowed ??= allowedOriginsOf(app);
    const { origin } = request.headers;
    if (!isOriginAllowed(origin, request.socket, allowed)) {
      // A browser only says "WebSocket failed": name the origin once, in case it is the app's own
      // public address missing from ALLOWED_ORIGINS. Bounded, so a crowd of origins is no flood.
      if (reported.size < MAX_REPORTED_ORIGINS && !reported.has(String(origin))) {
        reported.add(String(origin));
        log.warn(
          `Refused a socket from a page at ${origin}; if Flack is served there, add it to ALLOWED_ORIGINS.`,
        );
      }
      return callback(FOREIGN_PAGE_MESSAGE, false);
    }
    then(request, callback);
  };
}
