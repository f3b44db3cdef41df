import { randomBytes } from 'node:crypto';
import { createMemoryRateLimiter } from '@netpulse/api';
import { freePort } from '@netpulse/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectRedis, testRedisUrl } from '../../testing/redis.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';

const REDIS_URL = testRedisUrl();
const redisBackend = await detectRedis();

const connection = () =>
  new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });

describe.skipIf(!redisBackend.available)('Redis rate limiter (real Redis)', () => {
  // Two connections stand for two API processes.
  const first = connection();
  const second = connection();
  /** A namespace per run, so parallel runs and earlier runs never share counters. */
  const prefix = `netpulse-test:${randomBytes(6).toString('hex')}:`;
  const fallback = createMemoryRateLimiter({ limit: 1_000, windowMs: 60_000 });
  /** The fallback would hide a Redis failure: any error fails the test instead. */
  const redisErrors: unknown[] = [];
  const limiterOn = (redis: Redis, limit: number, windowMs = 60_000) =>
    createRedisRateLimiter({
      redis,
      prefix,
      limit,
      windowMs,
      fallback,
      onError: (error) => redisErrors.push(error),
    });

  beforeAll(async () => {
    await Promise.all([first.connect(), second.connect()]);
  });

  afterAll(async () => {
    expect(redisErrors).toStrictEqual([]);
    const keys = await first.keys(`${prefix}*`);
    if (keys.length > 0) await first.del(...keys);
    first.disconnect();
    second.disconnect();
  });

  it('counts one key across two API processes', async () => {
    const a = limiterOn(first, 5);
    const b = limiterOn(second, 5);
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await (i % 2 === 0 ? a : b).consume('user:shared'));
    expect(verdicts.slice(0, 5).every((verdict) => verdict.allowed)).toBe(true);
    expect(verdicts[5]).toMatchObject({ allowed: false });
    expect(verdicts[5]?.retryAfterSeconds).toBeGreaterThanOrEqual(59);
    expect(verdicts[5]?.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The other process refuses as well: the count is shared, not per process.
    expect((await a.consume('user:shared')).allowed).toBe(false);
  });

  it('counts concurrent requests exactly (INCR and expiry in one script)', async () => {
    const a = limiterOn(first, 50);
    const b = limiterOn(second, 50);
    const verdicts = await Promise.all(
      Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? a : b).consume('ip:burst')),
    );
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(50);
    expect(await first.pttl(`${prefix}ip:burst`)).toBeGreaterThan(0);
  });

  it('keeps keys apart and opens a new window when the old one expires', async () => {
    const a = limiterOn(first, 1, 300);
    expect((await a.consume('user:x')).allowed).toBe(true);
    expect((await a.consume('user:y')).allowed).toBe(true);
    expect(await a.consume('user:x')).toStrictEqual({ allowed: false, retryAfterSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await a.consume('user:x')).allowed).toBe(true);
  });

  it('restores the expiry of a key that lost it, instead of counting forever', async () => {
    await first.set(`${prefix}user:stuck`, '100');
    const a = limiterOn(first, 5, 60_000);
    expect((await a.consume('user:stuck')).allowed).toBe(false);
    expect(await first.pttl(`${prefix}user:stuck`)).toBeGreaterThan(0);
  });

  it('falls back to counting per process while Redis cannot answer', async () => {
    const port = await freePort();
    const unreachable = new Redis(`redis://127.0.0.1:${port}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const errors: unknown[] = [];
    const limiter = createRedisRateLimiter({
      redis: unreachable,
      prefix,
      limit: 100,
      windowMs: 60_000,
      fallback: createMemoryRateLimiter({ limit: 2, windowMs: 60_000 }),
      onError: (error) => errors.push(error),
    });
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push((await limiter.consume('user:offline')).allowed);
    expect(verdicts).toStrictEqual([true, true, false]);
    expect(errors).toHaveLength(3);
    unreachable.disconnect();
  });
});
