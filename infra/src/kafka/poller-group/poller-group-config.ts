import { z } from 'zod';
import { KafkaConfigError, kafkaConfigFromEnv } from '../kafka-config.js';

/** How replicated pollers split the fleet through one Kafka consumer group. */
export type PollerGroupConfig = Readonly<{
  brokers: readonly string[];
  clientId: string;
  groupId: string;
  /** The poll-targets topic: its partitions are what the group assigns; devices hash onto them. */
  topic: string;
  /** Partitions the topic is created with; an existing topic keeps its own count, which wins. */
  partitions: number;
  sessionTimeoutMs: number;
  /** Own every device when no assignment came this long after start (0 = never). */
  unassignedFallbackMs: number;
}>;

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(blankAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/**
 * The poller role's Kafka variables, read by `loadConfig` through `pollerGroupConfigFromEnv`. The
 * brokers, client id and topic prefix are the shared Kafka ones (infra/src/kafka/kafka-config.ts);
 * with `KAFKA_BROKERS` unset a poller owns the whole fleet.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `KAFKA_POLLER_GROUP` | `netpulse-pollers` | consumer group every poller process of one deployment joins |
 * | `KAFKA_POLL_TARGET_PARTITIONS` | `12` | partitions of `<KAFKA_TOPIC_PREFIX>.poll-targets` when it is created: the most pollers that can share the work |
 * | `KAFKA_POLLER_SESSION_TIMEOUT_MS` | `10000` | a poller silent this long leaves the group and its devices move to the others (the broker accepts 6000–1800000 by default) |
 * | `KAFKA_POLLER_UNASSIGNED_FALLBACK_MS` | `30000` | a poller that got no assignment this long after start (Kafka unreachable) probes every device rather than none; 0 = never |
 */
export const PollerGroupEnvSchema = z.object({
  KAFKA_POLLER_GROUP: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/, 'letters, digits and . _ -')
      .default('netpulse-pollers'),
  ),
  KAFKA_POLL_TARGET_PARTITIONS: integer(1, 10_000, 12),
  KAFKA_POLLER_SESSION_TIMEOUT_MS: integer(1_000, 1_800_000, 10_000),
  KAFKA_POLLER_UNASSIGNED_FALLBACK_MS: integer(0, 86_400_000, 30_000),
});

export class PollerGroupConfigError extends Error {
  override readonly name = 'PollerGroupConfigError';
}

/** The group settings from `env`, or null when KAFKA_BROKERS is unset (each poller owns everything). */
export const pollerGroupConfigFromEnv = (
  env: Readonly<Record<string, unknown>>,
): PollerGroupConfig | null => {
  const vars = PollerGroupEnvSchema.safeParse(env);
  if (!vars.success) {
    const problems = vars.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new PollerGroupConfigError(`invalid poller group configuration:\n${problems.join('\n')}`);
  }
  let kafka: ReturnType<typeof kafkaConfigFromEnv>;
  try {
    kafka = kafkaConfigFromEnv(env);
  } catch (error) {
    if (error instanceof KafkaConfigError) throw new PollerGroupConfigError(error.message);
    throw error;
  }
  if (!kafka) return null;
  const e = vars.data;
  return {
    brokers: kafka.brokers,
    clientId: kafka.clientId,
    groupId: e.KAFKA_POLLER_GROUP,
    topic: `${kafka.topicPrefix}.poll-targets`,
    partitions: e.KAFKA_POLL_TARGET_PARTITIONS,
    sessionTimeoutMs: e.KAFKA_POLLER_SESSION_TIMEOUT_MS,
    unassignedFallbackMs: e.KAFKA_POLLER_UNASSIGNED_FALLBACK_MS,
  };
};

/** Heartbeats at a third of the session timeout, as Kafka recommends, so one lost beat is survived. */
export const heartbeatIntervalMs = (config: PollerGroupConfig): number =>
  Math.max(100, Math.floor(config.sessionTimeoutMs / 3));
