import { spawn } from 'node:child_process';
import { addressFamily } from '@netpulse/domain';
import type { Limiter } from '../../scheduler/limiter.js';
import { elapsedMs, failedOutcome, type ProbeOutcome, probeError } from '../outcome.js';
import { runFping } from './fping-batch.js';
import { icmpResult } from './icmp-stats.js';
import { type IcmpProbeSettings, pingProbe } from './ping-probe.js';

export type IcmpMode = 'ping' | 'fping';

export type IcmpProberOptions = Readonly<{
  limiter: Limiter;
  fpingPath: string;
  /** ICMP fleet size from which batches are used (0: always, when fping exists). */
  fpingThreshold: number;
  batchMaxTargets: number;
  batchLingerMs: number;
  /** Overrides the one-process-per-probe path (tests). */
  ping?: (address: string, settings: IcmpProbeSettings) => Promise<ProbeOutcome>;
}>;

type Waiter = { address: string; resolve: (outcome: ProbeOutcome) => void };
type Group = {
  family: 'ipv4' | 'ipv6' | 'any';
  settings: IcmpProbeSettings;
  waiters: Waiter[];
  timer: NodeJS.Timeout | null;
};

/** True when `fping` can be run (it is a Debian package the poller may run without). */
export const fpingAvailable = (fpingPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const child = spawn(fpingPath, ['-v'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('close', (code) => resolve(code === 0));
  });

/**
 * ICMP probing for the whole fleet. Below the threshold every probe is its own `ping` process (simple,
 * isolated); from the threshold on, due probes are gathered for up to `batchLingerMs` and sent through
 * one `fping` process per batch. Either way one process holds one concurrency slot.
 */
export class IcmpProber {
  readonly #options: IcmpProberOptions;
  readonly #groups = new Map<string, Group>();
  readonly #batches = new Set<Promise<void>>();
  #fleetSize = 0;
  #fpingUsable = false;

  constructor(options: IcmpProberOptions) {
    this.#options = options;
  }

  /** Checks once whether fping is installed; without it every probe uses ping. */
  async detect(): Promise<IcmpMode> {
    this.#fpingUsable = await fpingAvailable(this.#options.fpingPath);
    return this.mode;
  }

  setFleetSize(icmpTargets: number): void {
    this.#fleetSize = icmpTargets;
  }

  get fpingUsable(): boolean {
    return this.#fpingUsable;
  }

  get mode(): IcmpMode {
    return this.#fpingUsable && this.#fleetSize >= this.#options.fpingThreshold ? 'fping' : 'ping';
  }

  probe(address: string, settings: IcmpProbeSettings): Promise<ProbeOutcome> {
    if (this.mode === 'ping') {
      const ping = this.#options.ping ?? pingProbe;
      return this.#options.limiter.run(() => ping(address, settings));
    }
    return this.#enqueue(address, settings);
  }

  /** Sends what is waiting now and waits for every batch in flight (shutdown). */
  async drain(): Promise<void> {
    for (const key of [...this.#groups.keys()]) this.#flush(key);
    await Promise.allSettled([...this.#batches]);
  }

  #enqueue(address: string, settings: IcmpProbeSettings): Promise<ProbeOutcome> {
    const family = addressFamily(address);
    if (family === 'invalid') return Promise.resolve(failedOutcome('PROBE_FAILED', 'invalid address', 0));
    const batchFamily = family === 'hostname' ? 'any' : family;
    const key = `${batchFamily}|${settings.packets}|${settings.timeoutMs}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { family: batchFamily, settings, waiters: [], timer: null };
      this.#groups.set(key, group);
    }
    const pending = new Promise<ProbeOutcome>((resolve) => {
      group.waiters.push({ address, resolve });
    });
    if (group.waiters.length >= this.#options.batchMaxTargets) this.#flush(key);
    else if (!group.timer) group.timer = setTimeout(() => this.#flush(key), this.#options.batchLingerMs);
    return pending;
  }

  #flush(key: string): void {
    const group = this.#groups.get(key);
    if (!group) return;
    this.#groups.delete(key);
    if (group.timer) clearTimeout(group.timer);
    if (group.waiters.length === 0) return;
    const batch = this.#runBatch(group);
    this.#batches.add(batch);
    void batch.finally(() => this.#batches.delete(batch));
  }

  async #runBatch(group: Group): Promise<void> {
    const { packets, timeoutMs } = group.settings;
    // Two devices at one address share a target in the batch, and its result.
    const targets = [...new Set(group.waiters.map((waiter) => waiter.address))];
    // Duration is measured from the start of the fping run: the wait to be batched is not the probe.
    let started = performance.now();
    try {
      const result = await this.#options.limiter.run(() => {
        started = performance.now();
        return runFping({
          fpingPath: this.#options.fpingPath,
          family: group.family,
          targets,
          packets,
          timeoutMs,
        });
      });
      for (const waiter of group.waiters) {
        const durationMs = elapsedMs(started);
        if (!result.ok) {
          waiter.resolve(failedOutcome('PROBE_FAILED', result.reason, durationMs));
          continue;
        }
        const rtts = result.rtts.get(waiter.address);
        if (!rtts) {
          waiter.resolve(
            failedOutcome('UNREACHABLE', 'no fping result (the name may not resolve)', durationMs),
          );
          continue;
        }
        const icmp = icmpResult(packets, rtts);
        waiter.resolve(
          icmp.received > 0
            ? { reachable: true, error: null, icmp, tcp: null, snmp: null, durationMs }
            : {
                reachable: false,
                error: probeError('TIMEOUT', `no echo reply to ${packets} packets`),
                icmp,
                tcp: null,
                snmp: null,
                durationMs,
              },
        );
      }
    } catch {
      for (const waiter of group.waiters) {
        waiter.resolve(failedOutcome('PROBE_FAILED', 'fping batch failed', elapsedMs(started)));
      }
    }
  }
}
