// One message scenario: N users in rooms of k, every user a sender and a receiver.
//
// Sending is open-loop: a 1 ms timer sends however many messages are due by the clock, whatever
// the server answers, so a slow server shows up as latency and lost messages instead of silently
// slowing the generator down (the coordinated-omission trap of closed-loop senders). Each message
// carries its send time and step number in its text; every receiver (the sender included, as in
// the app) reads them straight from the raw frame and records the latency in an HdrHistogram.

import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import * as hdr from 'hdr-histogram-js';
import { claimSessions, connectSockets, expectOk, mapLimit } from './sessions.mjs';

const MESSAGE_NEW = Buffer.from('42["message:new"');
const TEXT_STAMP = Buffer.from('"text":"t=');
const OK_TRUE = Buffer.from('"ok":true');
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Microseconds on the generator's monotonic clock; sender and receivers share it (one process). */
const nowMicros = () => Math.round(performance.now() * 1000);

/** Reads the unsigned decimal at `index`; returns [value, index after it]. */
function readDecimal(buffer, index) {
  let value = 0;
  for (let c = buffer[index]; c >= DIGIT_0 && c <= DIGIT_9; c = buffer[++index])
    value = value * 10 + c - DIGIT_0;
  return [value, index];
}

/** Deliveries and latencies of the messages sent in one run. */
class Step {
  sent = 0;
  expected = 0;
  delivered = 0;
  /** Deliveries that came after the run had been closed (past its drain time). */
  late = 0;
  open = true;
  // Microseconds, 3 significant digits: 1 us to 2 min without losing the tail.
  histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });

  constructor(id) {
    this.id = id;
  }
}

export class ChatLoad {
  #users = [];
  #steps = [];
  #cursor = 0;
  #lastFrameAt = 0;
  #acksOk = 0;
  #ackErrors = 0;
  #firstAckError = null;
  #filler;

  /**
   * @param {object} options
   * @param {number} options.port server port on 127.0.0.1
   * @param {number[]} [options.ports] several instances (bench/scale-out.mjs): users spread over them
   * @param {number} options.users how many users (each one socket)
   * @param {number} options.roomSize users per room; `users / roomSize` rooms
   * @param {number} options.textLength characters of message text, stamp included
   */
  constructor({ port, ports = [port], users, roomSize, textLength = 100 }) {
    if (users % roomSize !== 0) throw new Error('users must be a multiple of roomSize');
    Object.assign(this, { port: ports[0], ports, userCount: users, roomSize, textLength });
    // The stamp is `t=<micros> s=<step> ` (about 22 characters); the rest is plain text.
    this.#filler = 'lorem ipsum dolor sit amet '.repeat(80).slice(0, Math.max(1, textLength - 22));
  }

  /** Claims the sessions, opens the sockets, creates the rooms and joins every member. */
  async setup() {
    const names = Array.from({ length: this.userCount }, (_, i) => `u${i}`);
    const sessions = await claimSessions(this.port, names);
    // User i connects to instance i mod n, so every room has members on every instance.
    const perPort = await Promise.all(
      this.ports.map((port, p) =>
        connectSockets(
          port,
          sessions.filter((_, i) => i % this.ports.length === p),
        ),
      ),
    );
    const clients = sessions.map((_, i) => perPort[i % this.ports.length][Math.floor(i / this.ports.length)]);
    this.#users = clients.map((client, i) => ({ client, room: null, index: i }));
    const rooms = this.userCount / this.roomSize;
    // The first member creates the room (and is joined by the server); the others join it.
    const roomIds = await mapLimit(
      Array.from({ length: rooms }, (_, r) => r),
      8,
      async (r) => {
        const creator = this.#users[r * this.roomSize].client;
        const created = await expectOk(
          creator.emitWithAck('channel:create', { name: `r${r}` }),
          'channel:create',
        );
        return created.channel.id;
      },
    );
    await mapLimit(this.#users, 32, async (user) => {
      user.room = roomIds[Math.floor(user.index / this.roomSize)];
      if (user.index % this.roomSize === 0) return;
      await expectOk(user.client.emitWithAck('channel:join', { channel: user.room }), 'channel:join');
    });
    for (const { client } of this.#users) {
      client.onEvent = (frame) => this.#onEvent(frame);
      client.onUntrackedAck = (frame) => this.#onAck(frame);
    }
    return { users: this.userCount, rooms, roomSize: this.roomSize, connectInfo: clients[0].connectInfo };
  }

  /**
   * Sends at `rate` messages/s for `durationMs`, waits up to `drainMs` for the deliveries, then
   * (if some are missing) until the server has gone quiet, so the next run starts clean.
   */
  async run({ rate, durationMs, drainMs = 1000, quietMs = 300, maxQuietWaitMs = 20_000 }) {
    const step = new Step(this.#steps.length);
    this.#steps.push(step);
    const acksBefore = { ok: this.#acksOk, errors: this.#ackErrors };
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();

    const { maxTickGapMs } = await this.#sendOpenLoop(step, rate, durationMs);
    const drainDeadline = performance.now() + drainMs;
    while (step.delivered < step.expected && performance.now() < drainDeadline) await sleep(2);

    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    step.open = false;
    const ackOk = this.#acksOk - acksBefore.ok;
    const ackErrors = this.#ackErrors - acksBefore.errors;
    if (step.delivered < step.expected || ackOk + ackErrors < step.sent)
      await this.#waitForQuiet(quietMs, maxQuietWaitMs);

    const { histogram } = step;
    const ms = (micros) => Math.round(micros) / 1000;
    const result = {
      rate,
      durationMs,
      sent: step.sent,
      expected: step.expected,
      delivered: step.delivered,
      deliveredRatio: step.expected === 0 ? 1 : step.delivered / step.expected,
      late: step.late,
      latencyMs: {
        p50: ms(histogram.getValueAtPercentile(50)),
        p90: ms(histogram.getValueAtPercentile(90)),
        p99: ms(histogram.getValueAtPercentile(99)),
        max: ms(histogram.maxValue),
        mean: ms(histogram.mean),
      },
      ackOk,
      ackErrors,
      // Acks not back by the end of the drain (late, not necessarily lost).
      acksMissing: Math.max(0, step.sent - ackOk - ackErrors),
      firstAckError: this.#firstAckError,
      // Share of one core the generator used while sending and draining.
      generatorCpu: (cpu.user + cpu.system) / 1000 / wallMs,
      maxTickGapMs: Math.round(maxTickGapMs * 10) / 10,
      wallMs: Math.round(wallMs),
    };
    histogram.destroy();
    step.histogram = null;
    return result;
  }

  close() {
    for (const { client } of this.#users) client.close();
    this.#users = [];
  }

  /** One timer tick per millisecond sends every message that is due by now: open loop, no per-message timers. */
  #sendOpenLoop(step, rate, durationMs) {
    const total = Math.round((rate * durationMs) / 1000);
    return new Promise((resolve) => {
      const start = performance.now();
      let lastTick = start;
      let maxTickGapMs = 0;
      const tick = () => {
        const now = performance.now();
        maxTickGapMs = Math.max(maxTickGapMs, now - lastTick);
        lastTick = now;
        const due = Math.min(total, Math.floor(((now - start) * rate) / 1000));
        while (step.sent < due) this.#sendOne(step);
        if (step.sent >= total) {
          clearInterval(timer);
          resolve({ maxTickGapMs });
        }
      };
      const timer = setInterval(tick, 1);
    });
  }

  #sendOne(step) {
    const user = this.#users[this.#cursor];
    this.#cursor = (this.#cursor + 1) % this.#users.length;
    const text = `t=${nowMicros()} s=${step.id} ${this.#filler}`;
    // Room ids, UUIDs and the text are plain ASCII without quotes, so no JSON.stringify is needed.
    user.client.emitRaw(
      'message:send',
      `{"channel":"${user.room}","text":"${text}","clientId":"${randomUUID()}"}`,
    );
    step.sent++;
    step.expected += this.roomSize;
  }

  #onEvent(frame) {
    if (frame.compare(MESSAGE_NEW, 0, MESSAGE_NEW.length, 0, MESSAGE_NEW.length) !== 0) return;
    const stamp = frame.indexOf(TEXT_STAMP, MESSAGE_NEW.length);
    if (stamp < 0) return;
    const now = nowMicros();
    this.#lastFrameAt = now;
    const [sentAt, afterTime] = readDecimal(frame, stamp + TEXT_STAMP.length);
    const [stepId] = readDecimal(frame, afterTime + 3); // skip " s="
    const step = this.#steps[stepId];
    if (!step) return;
    if (!step.open) {
      step.late++;
      return;
    }
    step.delivered++;
    step.histogram.recordValue(Math.max(1, now - sentAt));
  }

  #onAck(frame) {
    this.#lastFrameAt = nowMicros();
    // `43<id>[{"ok":true,...`: the flag sits in the first few bytes.
    const ok = frame.indexOf(OK_TRUE);
    if (ok > 0 && ok < 24) {
      this.#acksOk++;
      return;
    }
    this.#ackErrors++;
    this.#firstAckError ??= frame.toString('utf8', 0, 300);
  }

  async #waitForQuiet(quietMs, maxWaitMs) {
    const deadline = performance.now() + maxWaitMs;
    while (performance.now() < deadline) {
      if (nowMicros() - this.#lastFrameAt >= quietMs * 1000) return;
      await sleep(20);
    }
  }
}
