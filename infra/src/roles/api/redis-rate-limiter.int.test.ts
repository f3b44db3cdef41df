import { randomBytes } from 'node:crypto';
import { createMemoryRateLimiter } from '@netpulse/api';
import { freePort } from '@netpulse/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectRedis, testRedisUrl } from '../../testing/redis.js';
import { createRedisRateLimiter, redisRateBudget } from './redis-rate-limiter.js';

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
  const limiterOn = (redis: Redis, limit: number, windowMs = 60_000, leaseMs?: number) =>
    createRedisRateLimiter({
      redis,
      prefix,
      limit,
      windowMs,
      fallback,
      onError: (error) => redisErrors.push(error),
      ...(leaseMs !== undefined ? { leaseMs } : {}),
    });
  const counted = async (key: string) => Number((await first.get(`${prefix}${key}`)) ?? 0);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('takes requests ahead for a busy key and gives back what its lease did not use', async () => {
    const a = limiterOn(first, 100, 60_000, 100);
    const b = limiterOn(second, 100, 60_000, 100);
    for (let i = 0; i < 30; i++) expect((await a.consume('user:busy')).allowed).toBe(true);
    // Taken ahead (counted in Redis before use) …
    expect(await counted('user:busy')).toBeGreaterThan(30);
    // … and back once the lease ends, so the other process can spend the whole rest of the window.
    await sleep(200);
    expect(await counted('user:busy')).toBe(30);
    let allowedOnB = 0;
    for (let i = 0; i < 100; i++) if ((await b.consume('user:busy')).allowed) allowedOnB++;
    expect(allowedOnB).toBe(70);
  });

  it('gives requests back only to the window they were taken from', async () => {
    const budget = redisRateBudget({
      redis: first,
      prefix,
      limit: 100,
      windowMs: 200,
      fallback,
    });
    const old = await budget.take('user:windows', 1, 0);
    expect(old.granted).toBe(1);
    await sleep(250);
    const next = await budget.take('user:windows', 3, 0);
    expect(next.windowId).not.toBe(old.windowId);
    await budget.giveBack('user:windows', 1, old.windowId);
    expect(await counted('user:windows')).toBe(3);
    await budget.giveBack('user:windows', 2, next.windowId);
    expect(await counted('user:windows')).toBe(1);
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
