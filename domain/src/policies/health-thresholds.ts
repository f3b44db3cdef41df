import { z } from 'zod';

/**
 * When observations turn into a health status. Counts are consecutive observations of the device
 * (any probe); times are observation times, so a replay judges exactly as the first run did.
 */
export const HealthThresholds = z.object({
  /** Consecutive failed probes before a device is down (or unreachable behind a down parent). */
  failuresToDown: z.number().int().min(1).max(100).default(3),
  /** ICMP packet loss at or above this percentage makes an answering device degraded. */
  lossDegradedPct: z.number().min(0).max(100).default(20),
  /** Average ICMP round trip (or TCP connect time) at or above this makes it degraded. */
  rttDegradedMs: z.number().positive().max(600_000).default(500),
  /** Consecutive degraded observations before an up device is declared degraded. */
  samplesToDegrade: z.number().int().min(1).max(100).default(2),
  /** Consecutive better observations before a device recovers (to up, or from down to degraded). */
  samplesToRecover: z.number().int().min(1).max(100).default(2),
  /**
   * Flap damping: after a transition, a recovery is held until this long has passed, so a device
   * bouncing between up and down reports one outage instead of a storm. Worse news is never held.
   */
  flapHoldSeconds: z.number().int().min(0).max(86_400).default(120),
});
export type HealthThresholds = z.infer<typeof HealthThresholds>;
export type HealthThresholdsInput = z.input<typeof HealthThresholds>;

export const defaultHealthThresholds: HealthThresholds = HealthThresholds.parse({});

/** How many recent observations the evaluation needs to see to apply `thresholds`. */
export const healthWindowSize = (thresholds: HealthThresholds): number =>
  Math.max(thresholds.failuresToDown, thresholds.samplesToDegrade, thresholds.samplesToRecover) + 1;
