import { EscalationPolicy, HealthThresholds } from '@netpulse/domain';
import { z } from 'zod';

/** The reactor role's settings, as the role takes them. */
export const ReactorConfig = z.object({
  health: HealthThresholds.prefault({}),
  escalation: EscalationPolicy.prefault({}),
  /** How often open alerts are checked for escalation. */
  escalationSweepMs: z.number().int().min(10).max(3_600_000).default(30_000),
  /** How often a standby instance tries to take over a reactor. */
  standbyRetryMs: z.number().int().min(10).max(600_000).default(5_000),
  /** Events per batch (and so per checkpoint). */
  batchSize: z.number().int().min(1).max(10_000).default(500),
});
export type ReactorConfig = z.infer<typeof ReactorConfig>;
export type ReactorConfigInput = z.input<typeof ReactorConfig>;

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalNumber = z.preprocess(blankAsUndefined, z.coerce.number().optional());
const minutesList = z.preprocess(
  blankAsUndefined,
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'a comma-separated list of minutes, e.g. 15,30')
    .transform((value) => value.split(',').map((part) => Number(part.trim())))
    .optional(),
);

/**
 * The environment variables of the reactor role, for embedding into the process config schema
 * (`ConfigSchema.extend(ReactorEnvSchema.shape)`), then `reactorConfigFromEnv` builds the config:
 *
 * | variable | field | default |
 * |---|---|---|
 * | `NETPULSE_HEALTH_FAILURES_DOWN` | `health.failuresToDown` (consecutive failed probes before down) | 3 |
 * | `NETPULSE_HEALTH_LOSS_DEGRADED_PCT` | `health.lossDegradedPct` (ICMP loss that makes a device degraded) | 20 |
 * | `NETPULSE_HEALTH_RTT_DEGRADED_MS` | `health.rttDegradedMs` (ICMP rtt / TCP connect time that makes it degraded) | 500 |
 * | `NETPULSE_HEALTH_SAMPLES_TO_DEGRADE` | `health.samplesToDegrade` | 2 |
 * | `NETPULSE_HEALTH_SAMPLES_TO_RECOVER` | `health.samplesToRecover` | 2 |
 * | `NETPULSE_HEALTH_FLAP_HOLD_SECONDS` | `health.flapHoldSeconds` (a recovery is held this long after a transition) | 120 |
 * | `NETPULSE_ESCALATION_DELAYS_MINUTES` | `escalation.delaysMinutes` (unacknowledged minutes per level, increasing) | `15,30` |
 * | `NETPULSE_ESCALATION_SWEEP_SECONDS` | `escalationSweepMs` / 1000 | 30 |
 * | `NETPULSE_REACTOR_STANDBY_RETRY_SECONDS` | `standbyRetryMs` / 1000 | 5 |
 * | `NETPULSE_REACTOR_BATCH_SIZE` | `batchSize` | 500 |
 */
export const ReactorEnvSchema = z.object({
  NETPULSE_HEALTH_FAILURES_DOWN: optionalNumber,
  NETPULSE_HEALTH_LOSS_DEGRADED_PCT: optionalNumber,
  NETPULSE_HEALTH_RTT_DEGRADED_MS: optionalNumber,
  NETPULSE_HEALTH_SAMPLES_TO_DEGRADE: optionalNumber,
  NETPULSE_HEALTH_SAMPLES_TO_RECOVER: optionalNumber,
  NETPULSE_HEALTH_FLAP_HOLD_SECONDS: optionalNumber,
  NETPULSE_ESCALATION_DELAYS_MINUTES: minutesList,
  NETPULSE_ESCALATION_SWEEP_SECONDS: optionalNumber,
  NETPULSE_REACTOR_STANDBY_RETRY_SECONDS: optionalNumber,
  NETPULSE_REACTOR_BATCH_SIZE: optionalNumber,
});
export type ReactorEnv = z.infer<typeof ReactorEnvSchema>;

export class ReactorConfigError extends Error {
  override readonly name = 'ReactorConfigError';
}

const seconds = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 1000));

/** Validates the reactor variables of `env` (raw or already parsed by ReactorEnvSchema). */
export const reactorConfigFromEnv = (env: Readonly<Record<string, unknown>>): ReactorConfig => {
  const vars = ReactorEnvSchema.safeParse(env);
  const problems = (error: z.ZodError) =>
    error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  if (!vars.success)
    throw new ReactorConfigError(`invalid reactor configuration:\n${problems(vars.error).join('\n')}`);
  const e = vars.data;
  const input = {
    health: {
      failuresToDown: e.NETPULSE_HEALTH_FAILURES_DOWN,
      lossDegradedPct: e.NETPULSE_HEALTH_LOSS_DEGRADED_PCT,
      rttDegradedMs: e.NETPULSE_HEALTH_RTT_DEGRADED_MS,
      samplesToDegrade: e.NETPULSE_HEALTH_SAMPLES_TO_DEGRADE,
      samplesToRecover: e.NETPULSE_HEALTH_SAMPLES_TO_RECOVER,
      flapHoldSeconds: e.NETPULSE_HEALTH_FLAP_HOLD_SECONDS,
    },
    escalation: { delaysMinutes: e.NETPULSE_ESCALATION_DELAYS_MINUTES },
    escalationSweepMs: seconds(e.NETPULSE_ESCALATION_SWEEP_SECONDS),
    standbyRetryMs: seconds(e.NETPULSE_REACTOR_STANDBY_RETRY_SECONDS),
    batchSize: e.NETPULSE_REACTOR_BATCH_SIZE,
  };
  const config = ReactorConfig.safeParse(JSON.parse(JSON.stringify(input)));
  if (!config.success) {
    throw new ReactorConfigError(`invalid reactor configuration:\n${problems(config.error).join('\n')}`);
  }
  return config.data;
};
