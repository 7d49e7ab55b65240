// The REST baseline: a bare `node:http` server answering `GET /api/channels` with the very JSON
// Flack served after the same setup (handed over in CHANNELS_JSON). It serialises the list per
// request, as any server must, and the runner checks the bytes match Flack's. It sends no security
// headers, no ETag and no log line: the price of those is part of what the comparison shows.

import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

const channels = JSON.parse(process.env.CHANNELS_JSON ?? '[]');

createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/channels') {
    const json = JSON.stringify(channels);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
  res.end('{"code":"NOT_FOUND","message":"Not found."}');
}).listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
