import { FILES_PATH, type ErrorBody } from '@flack/contract';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { statusOf } from './http-exception.filter.js';
import { isOriginAllowed } from './origin.js';

type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** Methods that must not change anything; every other one is judged here. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const FOREIGN_REQUEST: ErrorBody = {
  code: 'FORBIDDEN',
  message: 'Flack does not accept requests from pages on other sites.',
};

export const NOT_JSON: ErrorBody = {
  code: 'UNSUPPORTED_MEDIA_TYPE',
  message: 'Send the request body as JSON (Content-Type: application/json).',
};

/**
 * Cross-site request forgery guard for REST, run before the body is parsed. A request that may
 * change something (any method but GET, HEAD and OPTIONS) is refused
 * - with 403 `FORBIDDEN` when it comes from a page of another origin (the same rule as the socket
 *   handshake, `isOriginAllowed`: configured origins, never the request's own Host);
 * - with 415 `UNSUPPORTED_MEDIA_TYPE` when it has a body that is not `application/json`. An HTML
 *   form or a `no-cors` fetch can only send form or text bodies, and a page can only send JSON
 *   to another origin after a CORS preflight, which Flack never answers.
 * A request without a body (say a DELETE) is left to its route. An upload (`POST /api/files`) is
 * raw bytes of any type, and needs the session token in the Authorization header, which no other
 * site can make a browser send.
 */
export function guardStateChangingRequests(allowedOrigins: readonly string[]): Middleware {
  return (request, response, next) => {
    if (SAFE_METHODS.has(request.method ?? '')) return next();
    if (!isOriginAllowed(request.headers.origin, request.socket, allowedOrigins)) {
      return sendError(response, FOREIGN_REQUEST);
    }
    if (isUpload(request)) {
      // A file's bytes are the body, whatever it is; no body parser may read (or buffer) them, and
      // the type is detected from the bytes (files/), so the header is set to say just that.
      request.headers['content-type'] = 'application/octet-stream';
      return next();
    }
    if (hasBody(request) && !isJson(request.headers['content-type'])) return sendError(response, NOT_JSON);
    next();
  };
}

/** `POST /api/files`: the one route whose body is not JSON (an upload; still from allowed origins only). */
function isUpload(request: IncomingMessage): boolean {
  if (request.method !== 'POST') return false;
  const path = request.url?.split('?', 1)[0];
  return path === FILES_PATH;
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** `application/json`, with parameters or not (`; charset=utf-8`); `+json` types are not asked for. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/** The same `ErrorBody` and status the exception filter would answer with. */
function sendError(response: ServerResponse, body: ErrorBody): void {
  const json = JSON.stringify(body);
  response.writeHead(statusOf(body.code), {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}
