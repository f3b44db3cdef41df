import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Scheduler } from '../scheduler/scheduler.js';
import type { DeviceTarget } from '../targets/device-target.js';
import { makeTarget } from '../testing/targets.js';
import { wholeFleet } from './fleet-share.js';
import { OwnedFleet } from './owned-fleet.js';
import { ownsNothing, PartitionedFleetShare } from './partitioned-share.js';

const clock = { now: () => new Date(Date.now()) };
const INTERVAL_MS = 30_000;
const SESSION_TIMEOUT_MS = 10_000;
const PICK_UP_SPREAD_MS = 2_000;

type Probe = { deviceId: string; poller: string; at: number };

/** One poller process: its fleet view, its share and a real scheduler; probes are recorded. */
const poller = (name: string, fleet: Map<string, DeviceTarget>, probes: Probe[]) => {
  const share = new PartitionedFleetShare(ownsNothing(12));
  const scheduler = new Scheduler({
    clock,
    fastRepoll: { intervalMs: 5_000, windowMs: 120_000 },
    firstProbeSpreadMs: PICK_UP_SPREAD_MS,
    run: async (job) => {
      probes.push({ deviceId: job.deviceId, poller: name, at: Date.now() });
      return { failed: false };
    },
  });
  const owned = new OwnedFleet({ share, fleet: { all: () => fleet.values() }, schedule: scheduler });
  share.onChange(() => owned.reconcile());
  for (const target of fleet.values()) owned.apply({ kind: 'upsert', target });
  scheduler.start();
  scheduler.markLive();
  const assign = (partitions: number[]) => share.set({ kind: 'partitions', partitionCount: 12, partitions });
  return { name, share, scheduler, owned, assign };
};

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

const probesIn = (probes: Probe[], from: number, to: number) =>
  probes.filter((probe) => probe.at >= from && probe.at < to);

/** Largest time between two probes of one device (by whichever poller), and from `from` to the first. */
const largestGap = (probes: Probe[], deviceId: string, from: number, to: number) => {
  const times = probes.filter((p) => p.deviceId === deviceId && p.at >= from && p.at < to).map((p) => p.at);
  let gap = 0;
  let previous = from;
  for (const at of times) {
    gap = Math.max(gap, at - previous);
    previous = at;
  }
  return Math.max(gap, to - previous);
};

describe('OwnedFleet: replicated pollers share one fleet', () => {
  const start = new Date('2026-11-21T00:00:00.000Z').getTime();
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(start);
  });
  afterEach(() => vi.useRealTimers());

  it('probes each device on exactly one poller, and hands devices over on death and on scale-up', async () => {
    const fleet = new Map(range(0, 120).map((i) => [`dev-${i}`, makeTarget(`dev-${i}`)]));
    const probes: Probe[] = [];
    const a = poller('a', fleet, probes);
    const b = poller('b', fleet, probes);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(probes).toHaveLength(0);

    // The group's first assignment: each member half the partitions.
    a.assign(range(0, 6));
    b.assign(range(6, 12));
    const assignedAt = Date.now();
    await vi.advanceTimersByTimeAsync(95_000);
    const steady = probesIn(probes, assignedAt, Date.now());
    for (const id of fleet.keys()) {
      const of = steady.filter((probe) => probe.deviceId === id);
      expect(new Set(of.map((probe) => probe.poller)).size).toBe(1);
      // Picked up at once (within the spread), then every interval.
      expect(of[0]!.at - assignedAt).toBeLessThan(PICK_UP_SPREAD_MS);
      expect(of.length).toBeGreaterThanOrEqual(3);
    }
    expect(a.owned.size + b.owned.size).toBe(fleet.size);
    expect(a.owned.size).toBeGreaterThan(30);
    expect(b.owned.size).toBeGreaterThan(30);

    // b dies: nothing of it runs any more; the group notices after the session timeout.
    const diedAt = Date.now();
    await b.scheduler.stop();
    await vi.advanceTimersByTimeAsync(SESSION_TIMEOUT_MS);
    a.assign(range(0, 12));
    await vi.advanceTimersByTimeAsync(60_000);
    for (const id of fleet.keys()) {
      expect(largestGap(probes, id, diedAt - INTERVAL_MS, Date.now())).toBeLessThanOrEqual(
        INTERVAL_MS + SESSION_TIMEOUT_MS + PICK_UP_SPREAD_MS,
      );
    }
    expect(probesIn(probes, diedAt, Date.now()).every((probe) => probe.poller === 'a')).toBe(true);

    // c joins: one rebalance moves half the partitions; nobody lets go before the new owner has them.
    const c = poller('c', fleet, probes);
    await vi.advanceTimersByTimeAsync(3_000);
    const rebalancedAt = Date.now();
    a.assign(range(0, 6));
    c.assign(range(6, 12));
    await vi.advanceTimersByTimeAsync(90_000);
    for (const id of fleet.keys()) {
      // No slot lost: at worst one probe comes up to the pick-up spread late.
      expect(largestGap(probes, id, rebalancedAt - INTERVAL_MS, Date.now())).toBeLessThanOrEqual(
        INTERVAL_MS + PICK_UP_SPREAD_MS,
      );
      const after = probesIn(probes, rebalancedAt + PICK_UP_SPREAD_MS, Date.now()).filter(
        (probe) => probe.deviceId === id,
      );
      expect(new Set(after.map((probe) => probe.poller)).size).toBe(1);
    }
    await a.scheduler.stop();
    await c.scheduler.stop();
  });

  it('sends a new device to its owner only, and a decommissioned one out of the schedule', () => {
    const fleet = new Map<string, DeviceTarget>();
    const scheduled = new Set<string>();
    const schedule = {
      upsert: (t: DeviceTarget) => scheduled.add(t.deviceId),
      remove: (id: string) => scheduled.delete(id),
    };
    const share = new PartitionedFleetShare();
    share.set({ kind: 'partitions', partitionCount: 12, partitions: range(0, 6) });
    const owned = new OwnedFleet({ share, fleet: { all: () => fleet.values() }, schedule });
    for (const i of range(0, 50)) {
      const target = makeTarget(`dev-${i}`);
      fleet.set(target.deviceId, target);
      owned.apply({ kind: 'upsert', target });
    }
    expect([...scheduled].every((id) => share.owns(id))).toBe(true);
    expect(scheduled.size).toBe([...fleet.keys()].filter((id) => share.owns(id)).length);
    const gone = [...scheduled][0]!;
    fleet.delete(gone);
    owned.apply({ kind: 'remove', deviceId: gone });
    expect(scheduled.has(gone)).toBe(false);
    expect(owned.size).toBe(scheduled.size);

    share.set({ kind: 'partitions', partitionCount: 12, partitions: range(6, 12) });
    const { pickedUp, dropped } = owned.reconcile();
    expect(pickedUp.length + dropped.length).toBe(fleet.size);
    expect([...scheduled].every((id) => share.owns(id))).toBe(true);
  });

  it('schedules everything with the default share of a poller that runs alone', () => {
    const scheduled = new Set<string>();
    const owned = new OwnedFleet({
      share: wholeFleet,
      fleet: { all: () => [].values() },
      schedule: { upsert: (t) => scheduled.add(t.deviceId), remove: (id) => scheduled.delete(id) },
    });
    for (const i of range(0, 20)) owned.apply({ kind: 'upsert', target: makeTarget(`dev-${i}`) });
    expect(scheduled.size).toBe(20);
  });
});
