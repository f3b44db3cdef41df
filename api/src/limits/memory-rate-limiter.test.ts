import { describe, expect, it } from 'vitest';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';

describe('in-memory rate limiter', () => {
  const setup = (limit = 3, windowMs = 60_000, maxKeys?: number) => {
    let time = 1_000_000;
    const limiter = createMemoryRateLimiter({
      limit,
      windowMs,
      now: () => time,
      ...(maxKeys ? { maxKeys } : {}),
    });
    return {
      limiter,
      advance: (ms: number) => {
        time += ms;
      },
    };
  };

  it('allows `limit` requests per window, then refuses with the seconds left', async () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++)
      expect(await limiter.consume('user:a')).toStrictEqual({ allowed: true, retryAfterSeconds: 0 });
    advance(15_500);
    expect(await limiter.consume('user:a')).toStrictEqual({ allowed: false, retryAfterSeconds: 45 });
  });

  it('counts each key on its own', async () => {
    const { limiter } = setup(1);
    expect((await limiter.consume('user:a')).allowed).toBe(true);
    expect((await limiter.consume('user:a')).allowed).toBe(false);
    expect((await limiter.consume('user:b')).allowed).toBe(true);
  });

  it('opens a new window once the old one has passed', async () => {
    const { limiter, advance } = setup(1, 10_000);
    await limiter.consume('ip:1');
    expect((await limiter.consume('ip:1')).allowed).toBe(false);
    advance(10_000);
    expect((await limiter.consume('ip:1')).allowed).toBe(true);
  });

  it('never says to retry in less than a second', async () => {
    const { limiter, advance } = setup(1, 1_000);
    await limiter.consume('k');
    advance(999);
    expect(await limiter.consume('k')).toStrictEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('stays bounded when flooded with distinct keys', async () => {
    const { limiter } = setup(1, 60_000, 100);
    for (let i = 0; i < 1_000; i++) await limiter.consume(`ip:${i}`);
    // The earliest keys were forgotten to make room: they may start afresh.
    expect((await limiter.consume('ip:0')).allowed).toBe(true);
    // A recent key is still counted.
    expect((await limiter.consume('ip:999')).allowed).toBe(false);
  });
});
