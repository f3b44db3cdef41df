import { createHash } from 'node:crypto';

/**
 * When a probe runs. Every (device, probe) has a fixed phase inside its interval, derived from a hash
 * of its key: the fleet is spread evenly over the interval (no thundering herd), and the slot times
 * are the same after a restart, so a re-run slot yields the same deterministic event id.
 */
export const phaseOf = (key: string, periodMs: number): number => {
  if (periodMs <= 0) return 0;
  const digest = createHash('sha1').update(key).digest();
  // 48 bits of hash keep the modulo bias far below a millisecond for any realistic period.
  return digest.readUIntBE(0, 6) % periodMs;
};

/** The first slot `k * period + phase` strictly after `afterMs`. */
export const nextSlot = (afterMs: number, periodMs: number, phaseMs: number): number => {
  const k = Math.floor((afterMs - phaseMs) / periodMs) + 1;
  return k * periodMs + phaseMs;
};

export type FastRepollPolicy = Readonly<{ intervalMs: number; windowMs: number }>;

export type FailureState = Readonly<{
  /** When the current run of failures began; null while the probe succeeds. */
  failingSince: number | null;
}>;

/**
 * The failure streak after one more result. A streak starts at its first failure and is not
 * extended by later ones: the fast window is bounded, so a device that stays down costs no more
 * than its regular interval once the window is over.
 */
export const nextFailureState = (state: FailureState, failed: boolean, nowMs: number): FailureState =>
  failed ? { failingSince: state.failingSince ?? nowMs } : { failingSince: null };

/**
 * The slot after a result at `nowMs`: a fast slot while inside the fast window of a failure streak,
 * else the regular slot following `regularAfterMs` (the slot that just ran).
 */
export const slotAfterResult = (args: {
  nowMs: number;
  regularAfterMs: number;
  periodMs: number;
  phaseMs: number;
  failure: FailureState;
  fast: FastRepollPolicy;
}): Readonly<{ dueAt: number; fast: boolean }> => {
  const { nowMs, periodMs, phaseMs, failure, fast } = args;
  const regular = nextSlot(Math.max(args.regularAfterMs, nowMs - 1), periodMs, phaseMs);
  if (failure.failingSince === null || fast.intervalMs <= 0 || fast.intervalMs >= periodMs) {
    return { dueAt: regular, fast: false };
  }
  const windowEnd = failure.failingSince + fast.windowMs;
  if (nowMs >= windowEnd) return { dueAt: regular, fast: false };
  const fastSlot = nextSlot(nowMs, fast.intervalMs, phaseMs % fast.intervalMs);
  return fastSlot < regular && fastSlot <= windowEnd
    ? { dueAt: fastSlot, fast: true }
    : { dueAt: regular, fast: false };
};
