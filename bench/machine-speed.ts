import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * How fast this machine ran NetPulse's kind of work just before a benchmark. The same code measured
 * 44,000 rebuilt events/s on one 2-core machine and 10,000 on another (shared, slower) one: without
 * this, figures from different machines, or from one machine at different times, cannot be compared.
 * The work is what dominates the log readers: JSON.parse and JSON.stringify of an SNMP observation.
 */
export type MachineSpeed = Readonly<{
  cpu: string;
  cores: number;
  /** Nanoseconds for one parse + stringify of a 1.2 KB observation, best of 5 rounds. */
  jsonNsPerEvent: number;
  loadAverage1m: number;
}>;

const observation = JSON.stringify({
  deviceId: 'bench-dev-1',
  probe: 'snmp',
  reachable: true,
  observedAt: '2026-11-21T12:35:04.046Z',
  snmp: {
    sysName: 'bench-dev-1',
    cpuPct: 12.5,
    memoryPct: 30,
    interfaces: Array.from({ length: 4 }, (_, i) => ({
      index: i + 1,
      name: `GigabitEthernet0/${i + 1}`,
      operStatus: 'up',
      inBps: 1_000_000 + i * 104_729,
      outBps: 800_000 + i * 7_727,
      inErrors: 0,
      outErrors: 1,
    })),
  },
  metadata: {
    organizationId: 'org-bench',
    actor: { kind: 'poller', id: 'bench-poller' },
    correlationId: '83e6fd53-74c8-5a0c-bd1e-3e156e534af9',
    causationId: '83e6fd53-74c8-5a0c-bd1e-3e156e534af9',
    hash: 'de21a7becac854e0b49d45c342839bd452ae5f37325f0bf8b55802bbd34be5c1',
  },
});

const ROUNDS = 5;
const PER_ROUND = 20_000;

const measure = (): MachineSpeed => {
  let best = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < PER_ROUND; i++) sink += JSON.stringify(JSON.parse(observation)).length;
    best = Math.min(best, ((performance.now() - started) * 1e6) / PER_ROUND);
  }
  if (sink === 0) throw new Error('unreachable: keeps the loop from being optimized away');
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    jsonNsPerEvent: Math.round(best),
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  };
};

/** Measured once, when the first benchmark module loads it: before the benchmark loads the machine. */
export const machineSpeed: MachineSpeed = measure();

/**
 * The whole machine's CPU time so far in jiffies, from the first line of /proc/stat: idle (idle +
 * iowait), steal, and the total of every kind; null off Linux. Guest time is left out of the total:
 * /proc already counts it inside user and nice.
 */
export const machineCpuTimes = (): Readonly<{ idle: number; steal: number; total: number }> | null => {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1);
    // user nice system idle iowait irq softirq steal
    const times = fields.slice(0, 8).map(Number);
    return {
      idle: (times[3] ?? 0) + (times[4] ?? 0),
      steal: times[7] ?? 0,
      total: times.reduce((sum, time) => sum + time, 0),
    };
  } catch {
    return null;
  }
};

const startedTimes = machineCpuTimes();

/**
 * The share of the machine's CPU time that its hypervisor gave to other guests since this module
 * loaded: time the benchmark's processes were ready to run and could not. A 2-core VM showed 6–11 %
 * of steal while idle, and benchmark figures then moved by factors, not percents. Null off Linux.
 */
export const stealPctSinceStart = (): number | null => {
  const now = machineCpuTimes();
  if (!startedTimes || !now || now.total === startedTimes.total) return null;
  return Number(((100 * (now.steal - startedTimes.steal)) / (now.total - startedTimes.total)).toFixed(1));
};
