import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

const policy = { initialDelaySeconds: 1, maxDelaySeconds: 10, jitter: 0.5 };

describe('retry back-off', () => {
  it('doubles from the initial delay and stops at the maximum', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, policy, none))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it('takes up to `jitter` of each delay off at random, never going above the unjittered delay', () => {
    expect(backoffDelayMs(3, policy, () => 1)).toBe(2000);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(3000);
    const draws = Array.from({ length: 200 }, () => backoffDelayMs(5, policy));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(5000);
    expect(Math.max(...draws)).toBeLessThanOrEqual(10_000);
    expect(new Set(draws).size).toBeGreaterThan(10);
  });
});
