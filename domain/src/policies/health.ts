import type { HealthStatus } from '../device/events.js';
import type { DeviceObserved } from '../observation/events.js';
import type { HealthThresholds } from './health-thresholds.js';

export type Observation = DeviceObserved['data'];

/** What one observation says about its device, before counting and damping. */
export type ObservationVerdict = Readonly<{ health: 'up' | 'degraded' | 'down'; reason: string }>;

export const judgeObservation = (
  observation: Observation,
  thresholds: HealthThresholds,
): ObservationVerdict => {
  const { probe, reachable, error, icmp, tcp } = observation;
  if (!reachable) return { health: 'down', reason: `${probe} ${error?.code ?? 'no answer'}` };
  if (icmp && icmp.lossPct >= thresholds.lossDegradedPct) {
    return { health: 'degraded', reason: `icmp loss ${icmp.lossPct}% ≥ ${thresholds.lossDegradedPct}%` };
  }
  if (icmp?.rttAvgMs != null && icmp.rttAvgMs >= thresholds.rttDegradedMs) {
    return { health: 'degraded', reason: `icmp rtt ${icmp.rttAvgMs} ms ≥ ${thresholds.rttDegradedMs} ms` };
  }
  if (tcp?.connectMs != null && tcp.connectMs >= thresholds.rttDegradedMs) {
    return {
      health: 'degraded',
      reason: `tcp ${tcp.port} connect ${tcp.connectMs} ms ≥ ${thresholds.rttDegradedMs} ms`,
    };
  }
  return { health: 'up', reason: `${probe} answered` };
};

/** Higher is worse; down and unreachable are equally bad (they differ in whose fault it is). */
const badness: Readonly<Record<HealthStatus, number>> = {
  unknown: -1,
  up: 0,
  degraded: 1,
  down: 2,
  unreachable: 2,
};
export const isWorse = (a: HealthStatus, b: HealthStatus): boolean => badness[a] > badness[b];

export const isDownLike = (status: HealthStatus | null | undefined): boolean =>
  status === 'down' || status === 'unreachable';

export type HealthInput = Readonly<{
  /** The device's recorded health and when it last changed. */
  current: HealthStatus;
  lastChangedAt: Date | null;
  /** Recent observations, oldest first, ending with the one being judged. */
  recent: readonly Observation[];
  /** The parent's recorded health; null when the device has no parent. */
  parentHealth: HealthStatus | null;
  thresholds: HealthThresholds;
}>;

export type HealthDecision = Readonly<{ to: HealthStatus; reason: string }>;

const trailingStreak = (verdicts: readonly ObservationVerdict[], health: ObservationVerdict['health']) => {
  let count = 0;
  for (let i = verdicts.length - 1; i >= 0 && verdicts[i]!.health === health; i--) count++;
  return count;
};

/**
 * The transition the latest observation calls for, or null. A candidate status needs a streak of
 * consecutive observations (failures to go down, samples to degrade or recover); a failing device
 * whose parent is down is unreachable rather than down (and moves between the two as the parent
 * does); a recovery within `flapHoldSeconds` of the last transition is held back.
 */
export const evaluateHealth = (input: HealthInput): HealthDecision | null => {
  const { current, thresholds, recent } = input;
  const latest = recent[recent.length - 1];
  if (!latest) return null;
  const verdicts = recent.map((observation) => judgeObservation(observation, thresholds));
  const verdict = verdicts[verdicts.length - 1]!;
  const streak = trailingStreak(verdicts, verdict.health);

  let candidate: HealthDecision;
  if (verdict.health === 'down') {
    if (streak < thresholds.failuresToDown) return null;
    const failures = `${streak} consecutive failures (${verdict.reason})`;
    candidate = isDownLike(input.parentHealth)
      ? { to: 'unreachable', reason: `${failures}; parent is ${input.parentHealth}` }
      : { to: 'down', reason: failures };
  } else {
    const recovering = isWorse(current, verdict.health);
    const needed =
      current === 'unknown'
        ? verdict.health === 'up'
          ? 1
          : thresholds.samplesToDegrade
        : recovering
          ? thresholds.samplesToRecover
          : thresholds.samplesToDegrade;
    if (streak < needed) return null;
    candidate = { to: verdict.health, reason: streak > 1 ? `${verdict.reason} ×${streak}` : verdict.reason };
  }
  if (candidate.to === current) return null;

  const at = Date.parse(latest.observedAt);
  const held =
    input.lastChangedAt !== null &&
    !isWorse(candidate.to, current) &&
    badness[candidate.to] !== badness[current] &&
    at - input.lastChangedAt.getTime() < thresholds.flapHoldSeconds * 1000;
  return held ? null : candidate;
};
