import type {
  IncomingMessage,
  OutgoingHttpHeaders,
  RequestListener,
  Server,
  ServerResponse,
} from 'node:http';
import { API_PREFIX } from '@flack/contract';
import type { ChannelsService } from './channels.service.js';

const LISTING_PATH = `${API_PREFIX}/channels`;

/**
 * `GET /api/channels`, answered before Express. It is the REST route a crowd hits (every start
 * page, every monitor), and Express's router, middleware chain and response helpers cost about four
 * times the answer itself (README, "Performance"). This answers the same JSON with the same
 * security headers from `ChannelsService.listJson()`; anything else, and this route when the
 * listing cannot be read, goes to Express as before (ChannelsController stays for the API docs and
 * that fallback). Not in the request log, like the health check.
 */
export function answerChannelListingFirst(
  server: Server,
  channels: ChannelsService,
  securityHeaders: [string, string | string[]][],
): void {
  const [express] = server.listeners('request') as RequestListener[];
  if (!express) throw new Error('No HTTP request listener to put the channel listing in front of.');
  server.removeListener('request', express);
  const headers: OutgoingHttpHeaders = {
    ...Object.fromEntries(securityHeaders),
    'content-type': 'application/json; charset=utf-8',
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' || !isListingPath(request.url)) return express(request, response);
    channels.listJson().then(
      (json) => {
        const body = Buffer.from(json);
        response.writeHead(200, { ...headers, 'content-length': body.length });
        response.end(body);
      },
      // Express answers the failure (UNAVAILABLE, say) the way every route does.
      () => express(request, response),
    );
  });
}

function isListingPath(url: string | undefined): boolean {
  return url === LISTING_PATH || url?.startsWith(`${LISTING_PATH}?`) === true;
}
