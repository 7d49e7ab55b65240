import { describe, expect, it, jest } from '@jest/globals';
import { ReplyError, type Redis } from 'ioredis';
import { hashFields, redactUrl, RedisScript } from './redis-store.js';

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

  it('passes any other error on', async () => {
    const failure = new ReplyError(
      'ERR user_script:1: Script attempted to access nonexistent global variable',
    );
    const client = { evalsha: jest.fn(() => Promise.reject(failure)), eval: jest.fn() } as unknown as Redis;
    await expect(script.run(client, [], [])).rejects.toBe(failure);
  });
});

describe('hashFields', () => {
  it('reads HGETALL both as a script answers it and as ioredis does', () => {
    expect(hashFields(['id', 'u1', 'name', 'Ada'])).toEqual({ id: 'u1', name: 'Ada' });
    expect(hashFields({ id: 'u1' })).toEqual({ id: 'u1' });
    expect(hashFields(null)).toBeUndefined();
  });
});
