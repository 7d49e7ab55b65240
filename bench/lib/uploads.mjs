// Files under load (issue 14): what a stored byte costs, and whether chat keeps its latency while
// 1 MB images are uploaded. Runs on the built server (`npm run build` first), on its own:
//
//   node bench/lib/uploads.mjs memory   memory per stored MB, in memory and on Redis
//   node bench/lib/uploads.mjs chat [photo|bytes]  message p50/p99 without and with uploads running
//
// `runUploadMemory` and `runUploadChat` are exported for bench/run.mjs to call as scenarios.

import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { freePort } from './processes.mjs';
import { REPO_ROOT, startServer } from './servers.mjs';

const require = createRequire(import.meta.url);
const sharp = require(require.resolve('sharp', { paths: [`${REPO_ROOT}backend`] }));
const { io } = await import(require.resolve('socket.io-client', { paths: [REPO_ROOT] }));

/* global fetch -- Node's own, since 18 */
const MB = 1024 * 1024;
const UPLOADS_LIFTED = {
  FILE_UPLOADS_PER_MINUTE: '1000000',
  FILES_MAX_BYTES_PER_USER: String(1024 * MB),
  FILES_MAX_TOTAL_BYTES: String(1024 * MB),
  DEFAULT_CHANNELS: '',
};

/** A photo-like JPEG of about `bytes` (noise at quality 80 takes about 0.63 bytes a pixel). */
export async function jpegOfAbout(bytes) {
  const side = Math.round(Math.sqrt(bytes / 0.63));
  return sharp(randomBytes(side * side * 3), { raw: { width: side, height: side, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export async function claim(base, name) {
  const response = await fetch(`${base}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201) throw new Error(`claim ${name}: ${response.status}`);
  return response.json();
}

async function upload(base, token, bytes, name) {
  const response = await fetch(`${base}/api/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export function connect(base, token) {
  return new Promise((resolve, reject) => {
    const socket = io(base, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      forceNew: true,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export const call = (socket, event, payload) =>
  new Promise((resolve, reject) =>
    socket.timeout(10_000).emit(event, payload, (error, answer) => {
      if (error) return reject(error);
      if (!answer.ok) return reject(new Error(`${event}: ${answer.error.code} ${answer.error.message}`));
      resolve(answer.data);
    }),
  );

/** A redis-server on a free port, without persistence; `stop()` ends it. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const { Redis } = require(require.resolve('ioredis', { paths: [`${REPO_ROOT}backend`] }));
  // A client per attempt, until redis-server listens: one whose connect failed goes on retrying by
  // itself, and refuses a second connect() ("already connecting"), which made a slow start fail.
  let client;
  for (let attempt = 0; ; attempt++) {
    const candidate = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
    // Refusals while it starts are expected; the connect() below reports the last one.
    const ignore = () => undefined;
    candidate.on('error', ignore);
    try {
      await candidate.connect();
      candidate.off('error', ignore);
      client = candidate;
      break;
    } catch (error) {
      candidate.disconnect();
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))[1]);
  return {
    url,
    usedMemory,
    stop: async () => {
      client.disconnect();
      child.kill('SIGKILL');
    },
  };
}

/**
 * Memory per stored megabyte: `count` uploads of `size` bytes (plain bytes, stored as they came;
 * then photos, which are re-encoded and get a thumbnail), measured after full GCs in the server
 * (RSS and Buffers) and, on Redis, in Redis's `used_memory`.
 */
export async function runUploadMemory({ count = 64, size = MB, log = console.log } = {}) {
  const results = {};
  for (const backend of ['memory', 'redis']) {
    const redis = backend === 'redis' ? await startRedis() : undefined;
    const server = await startServer('flack', {
      env: { ...UPLOADS_LIFTED, ...(redis ? { REDIS_URL: redis.url } : {}) },
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const { token } = await claim(base, `mem-${backend}`);
      // Warm up the routes, the detector and sharp, so their own first allocations are not counted.
      for (let i = 0; i < 3; i++) await upload(base, token, await jpegOfAbout(200_000), 'warm.jpg');
      await upload(base, token, randomBytes(size), 'warm.bin');
      const before = (await server.measure()).memory;
      const redisBefore = await redis?.usedMemory();
      let stored = 0;
      for (let i = 0; i < count; i++)
        stored += (await upload(base, token, randomBytes(size), `f${i}.bin`)).size;
      const after = (await server.measure()).memory;
      const redisAfter = await redis?.usedMemory();
      // Bytes of memory per byte stored (= MB per stored MB).
      const perMb = (delta) => Number((delta / stored).toFixed(3));
      const row = {
        storedMb: Number((stored / MB).toFixed(1)),
        serverRssPerStoredMb: perMb(after.rss - before.rss),
        serverBuffersPerStoredMb: perMb(after.arrayBuffers - before.arrayBuffers),
        ...(redis ? { redisUsedPerStoredMb: perMb(redisAfter - redisBefore) } : {}),
      };
      results[backend] = row;
      log(`  ${backend}: ${JSON.stringify(row)} (MB of memory per MB stored)`);
    } finally {
      await server.stop();
      await redis?.stop();
    }
  }
  return results;
}

/**
 * Chat while uploads run: `users` people in `rooms` rooms send `rate` messages a second in all
 * for `seconds` with nothing else going on, then as long again while `uploaders` upload ~1 MB
 * photos back to back. Latency is from send to arrival at every other member.
 */
export async function runUploadChat({
  users = 40,
  rooms = 4,
  rate = 400,
  seconds = 10,
  uploaders = 2,
  /** 'photo': ~1 MB JPEGs (re-encoded, thumbnailed); 'bytes': 1 MB that is stored as it came. */
  kind = 'photo',
  log = console.log,
} = {}) {
  const server = await startServer('flack', { env: UPLOADS_LIFTED });
  const base = `http://127.0.0.1:${server.port}`;
  const sockets = [];
  try {
    const people = [];
    for (let i = 0; i < users; i++) {
      const session = await claim(base, `chat${i}`);
      const socket = await connect(base, session.token);
      sockets.push(socket);
      people.push({ ...session, socket });
    }
    const channels = [];
    for (let r = 0; r < rooms; r++) {
      const { channel } = await call(people[r].socket, 'channel:create', { name: `room${r}` });
      channels.push(channel.id);
    }
    for (const [i, person] of people.entries()) {
      person.channel = channels[i % rooms];
      if (i >= rooms) await call(person.socket, 'channel:join', { channel: person.channel });
    }
    let latencies = [];
    for (const person of people) {
      person.socket.on('message:new', (message) => {
        if (message.author.id === person.user.id) return;
        const sentAt = Number(message.text.split(' ')[0]);
        if (sentAt) latencies.push(performance.timeOrigin + performance.now() - sentAt);
      });
    }
    const uploader = await claim(base, 'uploader');
    const phase = async (withUploads) => {
      latencies = [];
      // The uploads come from a process of their own, so the chat clients' event loop (where the
      // latency is measured) does not also carry the upload traffic.
      const workers = withUploads
        ? uploadWorker(base, uploader.token, { uploaders, seconds, kind })
        : undefined;
      const start = performance.now();
      let sent = 0;
      while (performance.now() - start < seconds * 1000) {
        const due = Math.floor(((performance.now() - start) / 1000) * rate);
        for (; sent < due; sent++) {
          const person = people[sent % users];
          const at = performance.timeOrigin + performance.now();
          person.socket.emit('message:send', {
            channel: person.channel,
            text: `${at} hello`,
            clientId: randomUUID(),
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const uploads = await workers;
      await new Promise((resolve) => setTimeout(resolve, 500));
      return {
        messagesPerSecond: rate,
        deliveries: latencies.length,
        p50Ms: Number(percentile(latencies, 0.5).toFixed(1)),
        p99Ms: Number(percentile(latencies, 0.99).toFixed(1)),
        ...(uploads ?? {}),
      };
    };
    const quiet = await phase(false);
    log(`  chat alone: ${JSON.stringify(quiet)}`);
    const busy = await phase(true);
    log(
      `  chat with ${uploaders} uploaders of 1 MB ${kind === 'photo' ? 'photos' : 'plain files'}: ${JSON.stringify(busy)}`,
    );
    return { quiet, busy };
  } finally {
    for (const socket of sockets) socket.disconnect();
    await server.stop();
  }
}

/** Runs `uploaders` back-to-back upload loops for `seconds` in a child process; resolves with the rate. */
function uploadWorker(base, token, { uploaders, seconds, kind }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'upload-worker'], {
      env: {
        ...process.env,
        UPLOAD_BASE: base,
        UPLOAD_TOKEN: token,
        UPLOADERS: String(uploaders),
        UPLOAD_SECONDS: String(seconds),
        UPLOAD_KIND: kind,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`upload worker: ${code}`)),
    );
  });
}

async function uploadLoops() {
  const { UPLOAD_BASE: base, UPLOAD_TOKEN: token, UPLOAD_KIND: kind } = process.env;
  const seconds = Number(process.env.UPLOAD_SECONDS);
  const file = kind === 'photo' ? await jpegOfAbout(MB) : randomBytes(MB);
  const start = performance.now();
  let uploads = 0;
  await Promise.all(
    Array.from({ length: Number(process.env.UPLOADERS) }, async () => {
      while (performance.now() - start < seconds * 1000) {
        await upload(base, token, file, kind === 'photo' ? 'photo.jpg' : 'file.bin');
        uploads++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return {
    uploadsPerSecond: Number((uploads / elapsed).toFixed(1)),
    uploadMBps: Number(((uploads * file.length) / MB / elapsed).toFixed(1)),
    fileBytes: file.length,
  };
}

function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mode = process.argv[2] ?? 'memory';
  const result =
    mode === 'upload-worker'
      ? await uploadLoops()
      : mode === 'chat'
        ? await runUploadChat({ kind: process.argv[3] ?? 'photo' })
        : await runUploadMemory();
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
