import { fileUrl, thumbnailUrl, uploadUrl, FILES_PATH, type ErrorBody, type FileInfo } from '@flack/contract';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import sharp from 'sharp';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** `POST /api/files` with the raw bytes; `token` null sends no Authorization header. */
export async function upload(
  server: { url: string },
  token: string | null,
  bytes: Buffer,
  options: { name?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Answer<FileInfo & ErrorBody>> {
  const path = options.name === undefined ? FILES_PATH : uploadUrl(options.name);
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      'content-type': options.contentType ?? 'application/octet-stream',
      ...options.headers,
    },
    body: new Uint8Array(bytes),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as FileInfo & ErrorBody,
  };
}

/** Uploads and expects 201. */
export async function uploaded(
  server: { url: string },
  token: string,
  bytes: Buffer,
  options: { name?: string; contentType?: string } = {},
): Promise<FileInfo> {
  const answer = await upload(server, token, bytes, options);
  if (answer.status !== 201) throw new Error(`upload: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** `GET /api/files/:id` (or its thumbnail) with a bearer token, a cookie, or nothing. */
export async function download(
  server: { url: string },
  id: string,
  auth: { token?: string; cookie?: string } = {},
  variant: 'content' | 'thumbnail' = 'content',
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const headers: Record<string, string> = {};
  if (auth.token) headers['authorization'] = `Bearer ${auth.token}`;
  if (auth.cookie) headers['cookie'] = auth.cookie;
  const path = variant === 'thumbnail' ? thumbnailUrl(id) : fileUrl(id);
  const response = await fetch(server.url + path, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

export interface StreamedAnswer {
  /** The status, or the error when the server closed the connection instead of answering. */
  status?: number;
  error?: string;
  headers?: IncomingHttpHeaders;
  body?: string;
}

/** Streams `body` as a chunked upload (no Content-Length) through node:http, so a test sees a cut-off. */
export function streamUpload(
  server: { url: string },
  token: string,
  body: Readable,
  headers: Record<string, string> = {},
): Promise<StreamedAnswer> {
  return new Promise((resolve) => {
    const request = httpRequest(server.url + uploadUrl('stream.bin'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
    });
    let done = false;
    const finish = (answer: StreamedAnswer) => {
      if (done) return;
      done = true;
      body.destroy();
      resolve(answer);
    };
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        finish({ status: response.statusCode, headers: response.headers, body: text }),
      );
      response.on('error', () =>
        finish({ status: response.statusCode, headers: response.headers, body: text }),
      );
    });
    request.on('error', (error) => finish({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    body.on('error', () => undefined);
    body.pipe(request);
  });
}

/** A solid-colour PNG of the given size. */
export function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3366ff' } })
    .png()
    .toBuffer();
}

/** Bytes that no detector takes for any known type. */
export function plainBytes(length: number, fill = 0x61): Buffer {
  return Buffer.alloc(length, fill);
}
