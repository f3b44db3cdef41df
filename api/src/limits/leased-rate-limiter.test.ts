import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BudgetGrant, createLeasedRateLimiter, type SharedRateBudget } from './leased-rate-limiter.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';

/** The Redis budget's rules in memory: look-ahead only from the first half of a window's budget. */
const fakeBudget = (limit: number, windowMs = 60_000) => {
  let time = 1_000_000;
  const windows = new Map<string, { id: number; endsAt: number; used: number }>();
  const takes: Array<{ need: number; extra: number; granted: number }> = [];
  const givenBack: number[] = [];
  const current = (key = 'user:x') => {
    let window = windows.get(key);
    if (!window || time >= window.endsAt) {
      window = { id: time + windowMs, endsAt: time + windowMs, used: 0 };
      windows.set(key, window);
    }
    return window;
  };
  const budget: SharedRateBudget = {
    take: async (key, need, extra): Promise<BudgetGrant> => {
      const w = current(key);
      const room = limit - w.used;
      let granted = 0;
      if (room > 0) {
        granted = Math.min(need, room);
        const spare = room - granted - Math.ceil(limit / 2);
        if (spare > 0) granted += Math.min(extra, Math.floor(spare / 2));
      }
      w.used += granted;
      takes.push({ need, extra, granted });
      return { granted, windowLeftMs: w.endsAt - time, windowId: w.id };
    },
    giveBack: async (key, unused, windowId) => {
      givenBack.push(unused);
      const w = current(key);
      if (w.id === windowId) w.used -= unused;
    },
  };
  return {
    budget,
    takes,
    givenBack,
    used: (key?: string) => current(key).used,
    now: () => time,
    advance: (ms: number) => {
      time += ms;
      vi.advanceTimersByTime(ms);
    },
  };
};

const limiterOver = (shared: ReturnType<typeof fakeBudget>, leaseMs = 1_000) =>
  createLeasedRateLimiter({
    budget: shared.budget,
    fallback: createMemoryRateLimiter({ limit: 1, windowMs: 60_000 }),
    leaseMs,
    now: shared.now,
  });

describe('leased rate limiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves a busy key from requests taken ahead: far fewer takes than requests', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(1_000_000);
    const limiter = limiterOver(shared);
    for (let i = 0; i < 1_000; i++) expect((await limiter.consume('user:a')).allowed).toBe(true);
    expect(shared.used('user:a')).toBeGreaterThanOrEqual(1_000);
    expect(shared.takes.length).toBeLessThan(20);
  });

  it('asks once for requests that arrive together', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(1_000_000);
    const limiter = limiterOver(shared);
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => limiter.consume('user:a')));
    expect(verdicts.every((verdict) => verdict.allowed)).toBe(true);
    // The first request's take is in flight when the other 39 arrive; they share the second.
    expect(shared.takes.map((take) => take.need)).toStrictEqual([1, 39]);
  });

  it('never allows more than the limit across processes, and near it counts exactly', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(50);
    const processes = [limiterOver(shared), limiterOver(shared), limiterOver(shared)];
    const verdicts = await Promise.all(
      Array.from({ length: 90 }, (_, i) => processes[i % 3]!.consume('user:shared')),
    );
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(50);
    const refused = verdicts.find((verdict) => !verdict.allowed);
    expect(refused).toStrictEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('lets sequential requests through one process after another up to the limit exactly', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(100);
    const a = limiterOver(shared);
    const b = limiterOver(shared);
    // A busy stretch on `a` takes requests ahead …
    for (let i = 0; i < 30; i++) expect((await a.consume('user:x')).allowed).toBe(true);
    // … which go back when its lease ends, so `b` can still spend the whole rest of the window.
    shared.advance(1_000);
    await vi.runAllTimersAsync();
    let allowedOnB = 0;
    for (let i = 0; i < 100; i++) if ((await b.consume('user:x')).allowed) allowedOnB++;
    expect(allowedOnB).toBe(70);
    expect(shared.givenBack.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  });

  it('keeps no lease past its window: the next window starts from a fresh take', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(1_000_000, 500);
    const limiter = limiterOver(shared, 10_000);
    for (let i = 0; i < 20; i++) await limiter.consume('user:a');
    const takesBefore = shared.takes.length;
    shared.advance(500);
    expect((await limiter.consume('user:a')).allowed).toBe(true);
    expect(shared.takes.length).toBe(takesBefore + 1);
    expect(shared.used('user:a')).toBeGreaterThanOrEqual(1);
  });

  it('refuses with the seconds left in the window once the budget is spent', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(2);
    const limiter = limiterOver(shared);
    expect((await limiter.consume('ip:1')).allowed).toBe(true);
    expect((await limiter.consume('ip:1')).allowed).toBe(true);
    shared.advance(15_500);
    expect(await limiter.consume('ip:1')).toStrictEqual({ allowed: false, retryAfterSeconds: 45 });
    expect((await limiter.consume('ip:2')).allowed).toBe(true);
  });

  it('answers from its per-process limiter while the budget fails, and from the budget once it answers', async () => {
    vi.useFakeTimers();
    const shared = fakeBudget(1_000);
    let down = true;
    const errors: unknown[] = [];
    const limiter = createLeasedRateLimiter({
      budget: {
        take: (key, need, extra) =>
          down ? Promise.reject(new Error('connection refused')) : shared.budget.take(key, need, extra),
        giveBack: shared.budget.giveBack,
      },
      fallback: createMemoryRateLimiter({ limit: 1, windowMs: 60_000 }),
      onError: (error) => errors.push(error),
      now: shared.now,
    });
    expect((await limiter.consume('user:a')).allowed).toBe(true);
    expect((await limiter.consume('user:a')).allowed).toBe(false);
    expect(errors).toHaveLength(2);
    down = false;
    expect((await limiter.consume('user:a')).allowed).toBe(true);
    expect(shared.used('user:a')).toBe(1);
  });
});
