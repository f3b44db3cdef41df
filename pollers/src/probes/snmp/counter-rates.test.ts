import { describe, expect, it } from 'vitest';
import {
  agentRestarted,
  type Counter,
  type CounterSnapshot,
  counterDelta,
  type InterfaceCounters,
  interfaceRates,
} from './counter-rates.js';

const c64 = (value: bigint): Counter => ({ value, bits: 64 });
const c32 = (value: bigint): Counter => ({ value, bits: 32 });

const counters = (inOctets: Counter, outOctets: Counter, inErrors: Counter = c32(0n)): InterfaceCounters => ({
  inOctets,
  outOctets,
  inErrors,
  outErrors: c32(0n),
  inDiscards: c32(0n),
  outDiscards: c32(0n),
});

const snapshot = (
  atMs: number,
  uptimeTicks: number | null,
  ifaces: Record<string, InterfaceCounters>,
): CounterSnapshot => ({
  atMs,
  uptimeTicks,
  interfaces: new Map(Object.entries(ifaces)),
});

describe('counterDelta', () => {
  it('is the increase of a counter', () => {
    expect(counterDelta(c64(1_000n), c64(1_500n))).toBe(500n);
  });
  it('handles a 32-bit wrap', () => {
    expect(counterDelta(c32(2n ** 32n - 100n), c32(50n))).toBe(150n);
  });
  it('treats a 64-bit decrease as a reset, not a wrap', () => {
    expect(counterDelta(c64(10_000n), c64(5n))).toBeNull();
  });
  it('refuses to compare counters of different widths', () => {
    expect(counterDelta(c32(1n), c64(2n))).toBeNull();
  });
});

describe('interfaceRates', () => {
  it('has no rate on the first reading', () => {
    const rates = interfaceRates(undefined, snapshot(0, 100, { '1': counters(c64(0n), c64(0n)) }));
    expect(rates.get('1')!.inBps).toBeNull();
  });

  it('turns octet deltas into bits per second and error deltas into per-second rates', () => {
    const before = snapshot(0, 1_000, { '1': counters(c64(1_000_000n), c64(2_000_000n), c32(10n)) });
    const after = snapshot(10_000, 2_000, { '1': counters(c64(2_250_000n), c64(2_500_000n), c32(30n)) });
    const rate = interfaceRates(before, after).get('1')!;
    expect(rate.inBps).toBe(1_000_000); // 1.25 MB in 10 s
    expect(rate.outBps).toBe(400_000);
    expect(rate.inErrors).toBe(2);
  });

  it('gives the right rate across a 32-bit wrap', () => {
    const before = snapshot(0, 1_000, { '1': counters(c32(2n ** 32n - 1_000n), c32(0n)) });
    const after = snapshot(1_000, 1_100, { '1': counters(c32(9_000n), c32(0n)) });
    expect(interfaceRates(before, after).get('1')!.inBps).toBe(80_000);
  });

  it('gives no rate after an agent restart (sysUpTime went backwards)', () => {
    const before = snapshot(0, 500_000, { '1': counters(c64(9_000_000n), c64(9_000_000n)) });
    const after = snapshot(60_000, 3_000, { '1': counters(c64(10_000n), c64(10_000n)) });
    expect(agentRestarted(before, after)).toBe(true);
    expect(interfaceRates(before, after).get('1')).toMatchObject({
      inBps: null,
      outBps: null,
      inErrors: null,
    });
  });

  it('does not mistake the 497-day sysUpTime wrap for a restart', () => {
    const before = snapshot(0, 2 ** 32 - 1_000, { '1': counters(c64(0n), c64(0n)) });
    const after = snapshot(60_000, 5_000, { '1': counters(c64(7_500_000n), c64(0n)) });
    expect(agentRestarted(before, after)).toBe(false);
    expect(interfaceRates(before, after).get('1')!.inBps).toBe(1_000_000);
  });

  it('gives no rate for an interface that was not there before', () => {
    const before = snapshot(0, 100, {});
    const after = snapshot(1_000, 200, { '7': counters(c64(5n), c64(5n)) });
    expect(interfaceRates(before, after).get('7')!.inBps).toBeNull();
  });

  it('gives no rate for a reset 64-bit counter but keeps the other direction', () => {
    const before = snapshot(0, 100, { '1': counters(c64(5_000n), c64(5_000n)) });
    const after = snapshot(1_000, 200, { '1': counters(c64(10n), c64(6_000n)) });
    const rate = interfaceRates(before, after).get('1')!;
    expect(rate.inBps).toBeNull();
    expect(rate.outBps).toBe(8_000);
  });
});
