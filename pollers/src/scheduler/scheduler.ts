import type { Clock, ProbeKind } from '@netpulse/domain';
import type { DeviceTarget } from '../targets/device-target.js';
import {
  type FailureState,
  type FastRepollPolicy,
  nextFailureState,
  nextSlot,
  phaseOf,
  slotAfterResult,
} from './cadence.js';
import { MinHeap } from './min-heap.js';
import { jobsForTarget, type ProbeJobSpec } from './probe-job.js';
import { systemTimers, type TimerHandle, type Timers } from './timers.js';

/** What running one probe reports back to the scheduler: whether it failed (drives the fast re-poll). */
export type RunResult = Readonly<{ failed: boolean }>;

export type RunProbe = (job: ProbeJobSpec, target: DeviceTarget, scheduledAtMs: number) => Promise<RunResult>;

export type SchedulerOptions = Readonly<{
  clock: Clock;
  timers?: Timers;
  fastRepoll: FastRepollPolicy;
  run: RunProbe;
  /** A slot came due while the previous run of the same probe was still in flight. */
  onSkipped?: (job: ProbeJobSpec) => void;
  /** `run` threw: the scheduler treats it as a failed probe and carries on. */
  onRunError?: (job: ProbeJobSpec, error: unknown) => void;
  /** Floor between two wake-ups, so thousands of phases do not mean thousands of timers a second. */
  minTickMs?: number;
  /** Delay before a newly added device's first probe is spread over, once the fleet has loaded. */
  firstProbeSpreadMs?: number;
}>;

type Job = {
  spec: ProbeJobSpec;
  target: DeviceTarget;
  phaseMs: number;
  dueAt: number;
  token: number;
  running: Promise<void> | null;
  failure: FailureState;
  removed: boolean;
};

type Entry = { readonly at: number; readonly key: string; readonly token: number };

/**
 * Runs every probe of every target at its own interval and phase. One timer for the whole fleet:
 * due times sit in a min-heap, stale entries (after a reschedule) are skipped by token.
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #timers: Timers;
  readonly #jobs = new Map<string, Job>();
  readonly #byDevice = new Map<string, Set<string>>();
  readonly #heap = new MinHeap<Entry>();
  readonly #running = new Set<Promise<void>>();
  #timer: TimerHandle | null = null;
  #timerAt = Number.POSITIVE_INFINITY;
  #started = false;
  #stopped = false;
  #live = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
  }

  get size(): number {
    return this.#jobs.size;
  }

  get inFlight(): number {
    return this.#running.size;
  }

  countByKind(): Record<ProbeKind, number> {
    const counts: Record<ProbeKind, number> = { icmp: 0, snmp: 0, tcp: 0 };
    for (const job of this.#jobs.values()) counts[job.spec.kind] += 1;
    return counts;
  }

  /** When a probe is next due (for tests and diagnostics). */
  dueAt(deviceId: string, probeKey: string): number | undefined {
    return this.#jobs.get(`${deviceId}|${probeKey}`)?.dueAt;
  }

  /**
   * After the initial replay, devices that appear are new: probe them soon rather than at their phase,
   * so a device registered through a command shows data within seconds.
   */
  markLive(): void {
    this.#live = true;
  }

  /** Adds, changes or (when paused) removes the probes of one device. */
  upsert(target: DeviceTarget): void {
    const now = this.#now();
    const wanted = new Map(jobsForTarget(target).map((spec) => [spec.key, spec]));
    const existing = this.#byDevice.get(target.deviceId) ?? new Set<string>();
    for (const key of existing) {
      if (!wanted.has(key)) this.#removeJob(key);
    }
    const keys = new Set<string>();
    for (const [key, spec] of wanted) {
      keys.add(key);
      const job = this.#jobs.get(key);
      if (job && job.spec.intervalMs === spec.intervalMs) {
        job.spec = spec;
        job.target = target;
        continue;
      }
      const phaseMs = phaseOf(key, spec.intervalMs);
      if (job) {
        // New interval: keep the failure streak, move to the new grid.
        job.spec = spec;
        job.target = target;
        job.phaseMs = phaseMs;
        this.#schedule(job, nextSlot(now, spec.intervalMs, phaseMs));
        continue;
      }
      const created: Job = {
        spec,
        target,
        phaseMs,
        dueAt: Number.POSITIVE_INFINITY,
        token: 0,
        running: null,
        failure: { failingSince: null },
        removed: false,
      };
      this.#jobs.set(key, created);
      const spread = Math.min(this.#options.firstProbeSpreadMs ?? 2_000, spec.intervalMs);
      const first = this.#live
        ? now + (spread > 0 ? phaseMs % spread : 0)
        : nextSlot(now - 1, spec.intervalMs, phaseMs);
      this.#schedule(created, first);
    }
    if (keys.size > 0) this.#byDevice.set(target.deviceId, keys);
    else this.#byDevice.delete(target.deviceId);
  }

  remove(deviceId: string): void {
    for (const key of this.#byDevice.get(deviceId) ?? []) this.#removeJob(key);
    this.#byDevice.delete(deviceId);
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#arm();
  }

  /** Stops scheduling and waits (bounded) for probes in flight to finish and report. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopped = true;
    if (this.#timer) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#running.size === 0) return;
    let handle: TimerHandle | undefined;
    await Promise.race([
      Promise.allSettled([...this.#running]),
      new Promise<void>((resolve) => {
        handle = this.#timers.setTimeout(resolve, graceMs);
      }),
    ]);
    if (handle) this.#timers.clearTimeout(handle);
  }

  #now(): number {
    return this.#options.clock.now().getTime();
  }

  #removeJob(key: string): void {
    const job = this.#jobs.get(key);
    if (!job) return;
    job.removed = true;
    job.token += 1;
    this.#jobs.delete(key);
  }

  #schedule(job: Job, at: number): void {
    job.token += 1;
    job.dueAt = at;
    this.#heap.push({ at, key: job.spec.key, token: job.token });
    // Stale entries pile up with reschedules; sweep them once they outnumber live jobs.
    if (this.#heap.size > 2 * this.#jobs.size + 1024) {
      this.#heap.retain((entry) => this.#jobs.get(entry.key)?.token === entry.token);
    }
    if (this.#started && at < this.#timerAt) this.#arm();
  }

  #arm(): void {
    if (this.#stopped) return;
    let top = this.#heap.peek();
    while (top && this.#jobs.get(top.key)?.token !== top.token) {
      this.#heap.pop();
      top = this.#heap.peek();
    }
    if (this.#timer) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    if (!top) return;
    const minTick = this.#options.minTickMs ?? 10;
    const delay = Math.max(top.at - this.#now(), minTick);
    this.#timerAt = top.at;
    this.#timer = this.#timers.setTimeout(() => this.#tick(), delay);
  }

  #tick(): void {
    this.#timer = null;
    this.#timerAt = Number.POSITIVE_INFINITY;
    if (this.#stopped) return;
    const now = this.#now();
    for (let top = this.#heap.peek(); top && top.at <= now; top = this.#heap.peek()) {
      this.#heap.pop();
      const job = this.#jobs.get(top.key);
      if (!job || job.token !== top.token) continue;
      this.#dispatch(job, top.at);
    }
    this.#arm();
  }

  #dispatch(job: Job, slot: number): void {
    // The regular next slot is set before the run, so a slow probe never delays the schedule.
    this.#schedule(job, nextSlot(slot, job.spec.intervalMs, job.phaseMs));
    if (job.running) {
      this.#options.onSkipped?.(job.spec);
      return;
    }
    const run = this.#execute(job, slot);
    job.running = run;
    this.#running.add(run);
    void run.finally(() => {
      job.running = null;
      this.#running.delete(run);
    });
  }

  async #execute(job: Job, slot: number): Promise<void> {
    let failed = true;
    try {
      ({ failed } = await this.#options.run(job.spec, job.target, slot));
    } catch (error) {
      this.#report(job, error);
    }
    if (job.removed || this.#stopped) return;
    try {
      const now = this.#now();
      job.failure = nextFailureState(job.failure, failed, now);
      const next = slotAfterResult({
        nowMs: now,
        regularAfterMs: slot,
        periodMs: job.spec.intervalMs,
        phaseMs: job.phaseMs,
        failure: job.failure,
        fast: this.#options.fastRepoll,
      });
      if (next.dueAt !== job.dueAt) this.#schedule(job, next.dueAt);
    } catch (error) {
      this.#report(job, error);
    }
  }

  #report(job: Job, error: unknown): void {
    try {
      this.#options.onRunError?.(job.spec, error);
    } catch {
      // A failing error hook must not take the scheduler down with it.
    }
  }
}
