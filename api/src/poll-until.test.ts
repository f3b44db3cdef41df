import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll-until.js';

describe('pollUntil', () => {
  it('returns the first value accepted, without waiting once it is there', async () => {
    const values = [1, 2, 3, 4];
    let calls = 0;
    const value = await pollUntil(
      async () => values[calls++]!,
      (n) => n >= 3,
      { timeoutMs: 5_000, intervalMs: 1 },
    );
    expect([value, calls]).toEqual([3, 3]);
  });

  it('gives up at the deadline with the last value it got', async () => {
    let time = 0;
    let calls = 0;
    const value = await pollUntil(
      async () => {
        calls += 1;
        time += 40;
        return `attempt ${calls}`;
      },
      () => false,
      { timeoutMs: 100, intervalMs: 1, now: () => time },
    );
    expect(value).toBe('attempt 3');
  });
});
