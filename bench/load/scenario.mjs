// One message scenario: N users in rooms of k, every user a sender and a receiver.
//
// Sending is open-loop: a 1 ms timer sends however many messages are due by the clock, whatever
// the server answers, so a slow server shows up as latency and lost messages instead of silently
// slowing the generator down (the coordinated-omission trap of closed-loop senders). Each message
// carries its send time and step number in its text; every receiver (the sender included, as in
// the app) reads them straight from the raw frame and records the latency in an HdrHistogram.
//
// A run can send reactions instead (`action: 'react'`, the reactions scenario): each user takes
// turns adding and taking back 👍 on one message of its room (seeded by `seedReactionTargets`), so
// every reaction changes the message and reaches every member as `message:updated`. A reaction
// carries no clock of its own, so its latency is the sender's ack (acks of one socket come back in
// the order sent); deliveries are counted as for messages.

import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setInterval, clearInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import * as hdr from 'hdr-histogram-js';
import { claimSessions, connectSockets, expectOk, mapLimit } from './sessions.mjs';

const MESSAGE_NEW = Buffer.from('42["message:new"');
const MESSAGE_UPDATED = Buffer.from('42["message:updated"');
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
  /** Room id → the id of the message its members react to. */
  #targets = new Map();
  /** The open reaction run, if any: `message:updated` deliveries count towards it. */
  #reactionStep = null;

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
    // `sentAt`: send times of this user's reactions waiting for their acks, oldest first.
    this.#users = clients.map((client, i) => ({ client, room: null, index: i, reacted: false, sentAt: [] }));
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
    for (const user of this.#users) {
      user.client.onEvent = (frame) => this.#onEvent(frame);
      user.client.onUntrackedAck = (frame) => this.#onAck(frame, user);
    }
    return { users: this.userCount, rooms, roomSize: this.roomSize, connectInfo: clients[0].connectInfo };
  }

  /**
   * Sends one message into every room (its creator's, acknowledged) for the room's members to react
   * to; again before each reaction run, so the target is always among the newest 100.
   */
  async seedReactionTargets() {
    await mapLimit(
      this.#users.filter((user) => user.index % this.roomSize === 0),
      8,
      async (creator) => {
        const sent = await expectOk(
          creator.client.emitWithAck('message:send', {
            channel: creator.room,
            text: 'react to me',
            clientId: randomUUID(),
          }),
          'message:send',
        );
        this.#targets.set(creator.room, sent.id);
      },
    );
    // A new target: everyone starts by adding their reaction.
    for (const user of this.#users) user.reacted = false;
    return { rooms: this.#targets.size };
  }

  /**
   * Sends at `rate` messages/s (or reactions, with `action: 'react'`) for `durationMs`, waits up to `drainMs` for the deliveries, then
   * (if some are missing) until the server has gone quiet, so the next run starts clean.
   */
  async run({ rate, durationMs, drainMs = 1000, quietMs = 300, maxQuietWaitMs = 20_000, action = 'send' }) {
    const step = new Step(this.#steps.length);
    this.#steps.push(step);
    if (action === 'react') {
      if (this.#targets.size === 0) throw new Error('seedReactionTargets first');
      step.react = true;
      this.#reactionStep = step;
    }
    const acksBefore = { ok: this.#acksOk, errors: this.#ackErrors };
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();

    const { maxTickGapMs } = await this.#sendOpenLoop(step, rate, durationMs);
    // A reaction's latency is its ack's: wait for those too (its deliveries are waited for below).
    const ackDeadline = performance.now() + drainMs;
    while (step.react && this.#acksOk + this.#ackErrors - acksBefore.ok - acksBefore.errors < step.sent) {
      if (performance.now() >= ackDeadline) break;
      await sleep(2);
    }
    const drainDeadline = performance.now() + drainMs;
    while (step.delivered < step.expected && performance.now() < drainDeadline) await sleep(2);

    const cpu = process.cpuUsage(cpuStart);
    const wallMs = performance.now() - wallStart;
    step.open = false;
    if (step.react) this.#reactionStep = null;
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
    if (step.react) {
      user.reacted = !user.reacted;
      user.sentAt.push(nowMicros());
      user.client.emitRaw(
        user.reacted ? 'message:react' : 'message:unreact',
        `{"channel":"${user.room}","id":"${this.#targets.get(user.room)}","emoji":"👍"}`,
      );
      step.sent++;
      step.expected += this.roomSize;
      return;
    }
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
    if (frame.compare(MESSAGE_UPDATED, 0, MESSAGE_UPDATED.length, 0, MESSAGE_UPDATED.length) === 0) {
      this.#lastFrameAt = nowMicros();
      if (this.#reactionStep) this.#reactionStep.delivered++;
      return;
    }
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

  #onAck(frame, user) {
    this.#lastFrameAt = nowMicros();
    const sentAt = user.sentAt.shift();
    if (sentAt !== undefined && this.#reactionStep) {
      this.#reactionStep.histogram.recordValue(Math.max(1, this.#lastFrameAt - sentAt));
    }
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
