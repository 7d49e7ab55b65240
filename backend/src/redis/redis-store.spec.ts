import { describe, expect, it, jest } from '@jest/globals';
import { ReplyError, type Redis } from 'ioredis';
import { validateEnv } from '../config/env.js';
import {
  describeTarget,
  hashFields,
  KEY_PREFIX,
  redactUrl,
  RedisScript,
  redisTarget,
} from './redis-store.js';

describe('redactUrl', () => {
  it('keeps host, port and database but never the credentials', () => {
    expect(redactUrl('redis://flack:s3cret@cache.internal:6380/2')).toBe('redis://cache.internal:6380/2');
    expect(redactUrl('rediss://:s3cret@cache.internal')).toBe('rediss://cache.internal');
  });

  it('says only REDIS_URL when the value is no URL at all', () => {
    expect(redactUrl('not a url s3cret')).toBe('REDIS_URL');
  });
});

describe('RedisScript', () => {
  const script = new RedisScript("return redis.call('GET', KEYS[1])");

  it('runs by SHA1, and sends the script itself only when Redis has forgotten it', async () => {
    const evalsha = jest
      .fn<(...args: unknown[]) => Promise<unknown>>()
      .mockRejectedValueOnce(new ReplyError('NOSCRIPT No matching script. Please use EVAL.'))
      .mockResolvedValue('by sha');
    const evalScript = jest.fn<(...args: unknown[]) => Promise<unknown>>().mockResolvedValue('by text');
    const client = { evalsha, eval: evalScript } as unknown as Redis;

    expect(await script.run(client, ['k'], ['a'])).toBe('by text');
    expect(evalScript).toHaveBeenCalledWith("return redis.call('GET', KEYS[1])", 1, 'k', 'a');
    expect(await script.run(client, ['k'], ['a'])).toBe('by sha');
    expect(evalsha.mock.calls[1]).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/), 1, 'k', 'a']);
  });

  it('on a Cluster, declares a key of Flack’s slot for a script without keys, so it runs where its keys are', async () => {
    const evalsha = jest.fn<(...args: unknown[]) => Promise<unknown>>().mockResolvedValue('ok');
    await script.run({ evalsha, isCluster: true } as unknown as Redis, [], ['a']);
    await script.run({ evalsha, isCluster: false } as unknown as Redis, [], ['a']);
    expect(evalsha.mock.calls.map((call) => call.slice(1))).toEqual([
      [1, KEY_PREFIX, 'a'],
      [0, 'a'],
    ]);
  });

  it('passes any other error on', async () => {
    const failure = new ReplyError(
      'ERR user_script:1: Script attempted to access nonexistent global variable',
    );
    const client = { evalsha: jest.fn(() => Promise.reject(failure)), eval: jest.fn() } as unknown as Redis;
    await expect(script.run(client, [], [])).rejects.toBe(failure);
  });
});

describe('redisTarget', () => {
  const target = (env: Record<string, string>) => redisTarget(validateEnv(env));

  it('is a single node with REDIS_URL, and nothing (all in memory) without a Redis setting', () => {
    expect(target({ REDIS_URL: 'redis://:pw@cache:6380/1' })).toEqual({ url: 'redis://:pw@cache:6380/1' });
    expect(target({})).toBeNull();
  });

  it('reads the sentinels, the master group, credentials and TLS', () => {
    expect(
      target({
        REDIS_SENTINELS: 'sentinel-1:26379, 10.0.0.2:26380',
        REDIS_PASSWORD: 'pw',
        REDIS_SENTINEL_PASSWORD: 'spw',
        REDIS_TLS: 'true',
      }),
    ).toEqual({
      sentinels: [
        { host: 'sentinel-1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
      name: 'mymaster',
      auth: { username: undefined, password: 'pw', sentinelPassword: 'spw', tls: true },
    });
  });

  it('reads the cluster nodes', () => {
    expect(
      target({ REDIS_CLUSTER_NODES: 'redis-a:7000,redis-b:7001', REDIS_SENTINEL_NAME: 'ignored' }),
    ).toEqual({
      clusterNodes: [
        { host: 'redis-a', port: 7000 },
        { host: 'redis-b', port: 7001 },
      ],
      auth: { username: undefined, password: undefined, sentinelPassword: undefined, tls: false },
    });
  });

  it('refuses two Redis settings at once, and nodes that are not host:port', () => {
    expect(() => validateEnv({ REDIS_URL: 'redis://cache', REDIS_CLUSTER_NODES: 'a:7000' })).toThrow(
      /Set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES/,
    );
    expect(() => validateEnv({ REDIS_SENTINELS: 'sentinel-1' })).toThrow(
      /REDIS_SENTINELS must list host:port/,
    );
  });

  it('is described for logs without a password', () => {
    const sentinels = target({ REDIS_SENTINELS: 'sentinel-1:26379', REDIS_PASSWORD: 's3cret' })!;
    expect(describeTarget(sentinels)).toBe(
      'master "mymaster" of the sentinels sentinel-1:26379 (REDIS_SENTINELS)',
    );
    expect(describeTarget({ url: 'redis://:s3cret@cache:6379' })).toBe('redis://cache:6379 (REDIS_URL)');
  });
});

describe('KEY_PREFIX', () => {
  it('is one Redis Cluster hash tag, so that all of Flack’s keys (and each script) are in one slot', () => {
    expect(KEY_PREFIX).toMatch(/^\{[^{}]+\}/);
  });
});

describe('hashFields', () => {
  it('reads HGETALL both as a script answers it and as ioredis does', () => {
    expect(hashFields(['id', 'u1', 'name', 'Ada'])).toEqual({ id: 'u1', name: 'Ada' });
    expect(hashFields({ id: 'u1' })).toEqual({ id: 'u1' });
    expect(hashFields(null)).toBeUndefined();
  });
});
