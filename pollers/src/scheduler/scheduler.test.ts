import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTarget } from '../testing/targets.js';
import type { ProbeJobSpec } from './probe-job.js';
import { Scheduler } from './scheduler.js';

const clock = { now: () => new Date(Date.now()) };

type Call = { deviceId: string; probeKey: string; at: number; scheduledAt: number };

const harness = (outcome: (job: ProbeJobSpec, at: number) => boolean = () => false) => {
  const calls: Call[] = [];
  const skipped: string[] = [];
  const scheduler = new Scheduler({
    clock,
    fastRepoll: { intervalMs: 5_000, windowMs: 120_000 },
    run: async (job, _target, scheduledAt) => {
      calls.push({ deviceId: job.deviceId, probeKey: job.probeKey, at: Date.now(), scheduledAt });
      return { failed: outcome(job, Date.now()) };
    },
    onSkipped: (job) => skipped.push(job.key),
  });
  return { scheduler, calls, skipped };
};

describe('Scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-21T00:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('probes each device at its own interval and phase', async () => {
    const { scheduler, calls } = harness();
    scheduler.upsert(makeTarget('a'));
    scheduler.upsert(makeTarget('b', { probes: { icmp: { intervalSeconds: 10 } } }));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    const a = calls.filter((call) => call.deviceId === 'a');
    const b = calls.filter((call) => call.deviceId === 'b');
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(6);
    expect(a[1]!.scheduledAt - a[0]!.scheduledAt).toBe(30_000);
    expect(b[1]!.scheduledAt - b[0]!.scheduledAt).toBe(10_000);
    // Runs happen at their slot (within the scheduler's 10 ms tick floor).
    for (const call of calls) expect(call.at - call.scheduledAt).toBeLessThanOrEqual(10);
    await scheduler.stop();
  });

  it('spreads a fleet over the interval instead of firing it at once', async () => {
    const { scheduler, calls } = harness();
    for (let i = 0; i < 3_000; i += 1) scheduler.upsert(makeTarget(`dev-${i}`));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toHaveLength(3_000);
    const perSecond = new Map<number, number>();
    const start = new Date('2026-11-21T00:00:00.000Z').getTime();
    for (const call of calls) {
      const second = Math.floor((call.at - start) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThan(200);
    await scheduler.stop();
  });

  it('re-probes a failing device every 5 s for 2 minutes, then at its interval again', async () => {
    const { scheduler, calls } = harness(() => true);
    scheduler.upsert(makeTarget('down'));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000 + 120_000 + 90_000);
    const gaps = calls.slice(1).map((call, i) => call.scheduledAt - calls[i]!.scheduledAt);
    const first = calls[0]!.at;
    const inWindow = calls.filter((call) => call.at > first && call.at <= first + 120_000);
    expect(inWindow.length).toBeGreaterThanOrEqual(23);
    expect(inWindow.length).toBeLessThanOrEqual(24);
    expect(gaps.slice(-3)).toEqual([30_000, 30_000, 30_000]);
    await scheduler.stop();
  });

  it('goes back to the regular interval as soon as a failing device answers', async () => {
    let failures = 2;
    const { scheduler, calls } = harness(() => failures-- > 0);
    scheduler.upsert(makeTarget('flaky'));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(120_000);
    const gaps = calls.slice(1).map((call, i) => call.scheduledAt - calls[i]!.scheduledAt);
    expect(gaps[0]).toBe(5_000);
    expect(gaps[1]).toBe(5_000);
    expect(gaps.slice(2).every((gap) => gap > 5_000)).toBe(true);
    await scheduler.stop();
  });

  it('does not probe paused devices, and stops probing removed ones', async () => {
    const { scheduler, calls } = harness();
    scheduler.upsert(makeTarget('paused', { paused: true }));
    scheduler.upsert(makeTarget('gone'));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(calls.filter((call) => call.deviceId === 'paused')).toHaveLength(0);
    const before = calls.filter((call) => call.deviceId === 'gone').length;
    expect(before).toBe(1);
    scheduler.remove('gone');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls.filter((call) => call.deviceId === 'gone')).toHaveLength(before);
    expect(scheduler.size).toBe(0);
    await scheduler.stop();
  });

  it('picks up a resumed device and changed probe settings without a restart', async () => {
    const { scheduler, calls } = harness();
    scheduler.start();
    scheduler.markLive();
    scheduler.upsert(makeTarget('x', { paused: true }));
    await vi.advanceTimersByTimeAsync(40_000);
    expect(calls).toHaveLength(0);
    scheduler.upsert(makeTarget('x', { probes: { tcp: { ports: [22, 443] } } }));
    // Once live, a device that appears is probed within seconds, not at its next phase.
    await vi.advanceTimersByTimeAsync(2_100);
    expect(new Set(calls.map((call) => call.probeKey))).toEqual(new Set(['icmp', 'tcp:22', 'tcp:443']));
    scheduler.upsert(makeTarget('x', { probes: { icmp: { enabled: false }, tcp: { ports: [443] } } }));
    calls.length = 0;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(new Set(calls.map((call) => call.probeKey))).toEqual(new Set(['tcp:443']));
    await scheduler.stop();
  });

  it('skips a slot while the previous probe of the same device is still running', async () => {
    const skipped: string[] = [];
    const scheduler = new Scheduler({
      clock,
      fastRepoll: { intervalMs: 5_000, windowMs: 120_000 },
      run: () => new Promise((resolve) => setTimeout(() => resolve({ failed: false }), 25_000)),
      onSkipped: (job) => skipped.push(job.key),
    });
    scheduler.upsert(makeTarget('slow', { probes: { icmp: { intervalSeconds: 10 } } }));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(35_000);
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    const stopping = scheduler.stop(30_000);
    await vi.advanceTimersByTimeAsync(30_000);
    await stopping;
    expect(scheduler.inFlight).toBe(0);
  });

  it('treats a probe that throws as a failure and keeps going', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const scheduler = new Scheduler({
      clock,
      fastRepoll: { intervalMs: 5_000, windowMs: 120_000 },
      run: async () => {
        runs += 1;
        throw new Error('bug');
      },
      onRunError: (_job, error) => errors.push(error),
    });
    scheduler.upsert(makeTarget('buggy'));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(45_000);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(errors).toHaveLength(runs);
    await scheduler.stop();
  });
});
