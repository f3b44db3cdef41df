import { describe, expect, it } from 'vitest';
import { nextFailureState, nextSlot, phaseOf, slotAfterResult } from './cadence.js';

describe('phaseOf', () => {
  it('is stable for a key and inside the period', () => {
    expect(phaseOf('dev-1|icmp', 30_000)).toBe(phaseOf('dev-1|icmp', 30_000));
    for (let i = 0; i < 1000; i += 1) {
      const phase = phaseOf(`dev-${i}|icmp`, 30_000);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(30_000);
    }
  });

  it('spreads a fleet evenly over the interval (no thundering herd)', () => {
    const perSecond = new Array<number>(30).fill(0);
    for (let i = 0; i < 10_000; i += 1)
      perSecond[Math.floor(phaseOf(`device-${i}|icmp`, 30_000) / 1000)]! += 1;
    // 333 per second on average; a uniform hash stays well within ±25 %.
    expect(Math.max(...perSecond)).toBeLessThan(420);
    expect(Math.min(...perSecond)).toBeGreaterThan(250);
  });
});

describe('nextSlot', () => {
  it('returns the first k * period + phase strictly after the time', () => {
    expect(nextSlot(0, 30_000, 7_000)).toBe(7_000);
    expect(nextSlot(7_000, 30_000, 7_000)).toBe(37_000);
    expect(nextSlot(6_999, 30_000, 7_000)).toBe(7_000);
    expect(nextSlot(100_000, 30_000, 7_000)).toBe(127_000);
  });
});

describe('fast re-poll', () => {
  const fast = { intervalMs: 5_000, windowMs: 120_000 };
  const period = 30_000;
  const phase = 2_000;

  it('starts a streak at the first failure and does not extend it', () => {
    let state = nextFailureState({ failingSince: null }, true, 1_000);
    expect(state.failingSince).toBe(1_000);
    state = nextFailureState(state, true, 50_000);
    expect(state.failingSince).toBe(1_000);
    expect(nextFailureState(state, false, 60_000).failingSince).toBeNull();
  });

  it('re-probes every 5 s for 2 minutes after a failure, then falls back to the interval', () => {
    // A device that fails at its slot at t=2 s and keeps failing: simulate the result loop.
    let now = 2_000;
    let failure = nextFailureState({ failingSince: null }, true, now);
    const times: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const next = slotAfterResult({
        nowMs: now,
        regularAfterMs: now,
        periodMs: period,
        phaseMs: phase,
        failure,
        fast,
      });
      times.push(next.dueAt);
      now = next.dueAt;
      failure = nextFailureState(failure, true, now);
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const fastGaps = gaps.filter((gap) => gap === 5_000).length;
    // 2 minutes of 5 s re-probes, then every 30 s.
    expect(fastGaps).toBeGreaterThanOrEqual(22);
    expect(fastGaps).toBeLessThanOrEqual(24);
    expect(
      times.filter((t) => t <= 2_000 + 120_000).every((t, i, all) => i === 0 || t - all[i - 1]! === 5_000),
    ).toBe(true);
    expect(gaps.slice(-5)).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('returns to the regular slot once the probe succeeds', () => {
    const failure = { failingSince: null };
    const next = slotAfterResult({
      nowMs: 12_000,
      regularAfterMs: 12_000,
      periodMs: period,
      phaseMs: phase,
      failure,
      fast,
    });
    expect(next).toEqual({ dueAt: 32_000, fast: false });
  });

  it('never uses a fast slot when the fast interval is not shorter than the interval', () => {
    const next = slotAfterResult({
      nowMs: 1_000,
      regularAfterMs: 1_000,
      periodMs: 5_000,
      phaseMs: 0,
      failure: { failingSince: 1_000 },
      fast: { intervalMs: 5_000, windowMs: 120_000 },
    });
    expect(next.fast).toBe(false);
  });
});
