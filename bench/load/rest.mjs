// The REST scenario's load: `GET /api/channels` with autocannon, from the generator's process.

import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ChatLoad } from './scenario.mjs';
import { httpRequest } from './sessions.mjs';

/**
 * Gives the server something to list: `channels` rooms of two members with a few messages each,
 * the way a small team's server looks. The sockets are closed again before the load starts.
 */
export async function prepareChannels({ port, channels = 20, messages = 200 }) {
  const chat = new ChatLoad({ port, users: channels * 2, roomSize: 2 });
  await chat.setup();
  await chat.run({ rate: messages, durationMs: 1000 });
  chat.close();
}

export async function fetchPath({ port, path }) {
  const agent = new Agent({ keepAlive: false });
  return httpRequest(agent, port, 'GET', path);
}

/** Runs autocannon against `GET /api/channels`; reports its figures and the generator's own CPU. */
export async function loadChannels({ port, durationS, connections = 32 }) {
  // Loaded here, not at the top: the message scenarios' generator has no use for it.
  const { default: autocannon } = await import('autocannon');
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/channels`,
    connections,
    pipelining: 1,
    duration: durationS,
  });
  const cpu = process.cpuUsage(cpuStart);
  const wallMs = performance.now() - wallStart;
  return {
    durationS,
    connections,
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    throughputBytesPerSecond: result.throughput.average,
    generatorCpu: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}
