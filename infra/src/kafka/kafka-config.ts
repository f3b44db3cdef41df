import { TOPIC_PREFIX_PATTERN } from '@netpulse/commands';
import { z } from 'zod';

/** The Kafka integration publisher's settings, as the reactor role takes them. */
export type KafkaConfig = Readonly<{
  brokers: readonly string[];
  clientId: string;
  topicPrefix: string;
  publishObservations: boolean;
  topicPartitions: number;
  /** Null: min(3, brokers in the cluster), decided when the topics are created. */
  topicReplicationFactor: number | null;
  batchSize: number;
}>;

const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
/** host:port or [ipv6]:port; nothing else, so a URL with credentials in it is refused, not logged. */
const broker = z
  .string()
  .trim()
  .regex(/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, 'each broker is host:port');

/**
 * The environment variables of the Kafka integration publisher (part of the reactor role), read by
 * `loadConfig` through `kafkaConfigFromEnv`:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `KAFKA_BROKERS` | unset = publisher off | bootstrap brokers, comma-separated `host:port` |
 * | `KAFKA_CLIENT_ID` | `netpulse` | Kafka client id (broker logs, quotas) |
 * | `KAFKA_TOPIC_PREFIX` | `netpulse` | topics are `<prefix>.device-status.v1`, `.alerts.v1`, `.devices.v1`, `.observations.v1` |
 * | `KAFKA_PUBLISH_OBSERVATIONS` | `false` | also publish every `DeviceObserved` (high volume) |
 * | `KAFKA_TOPIC_PARTITIONS` | `6` | partitions of the topics the publisher creates (existing topics are left alone) |
 * | `KAFKA_TOPIC_REPLICATION_FACTOR` | min(3, brokers) | replication factor of the topics it creates |
 * | `KAFKA_PUBLISH_BATCH_SIZE` | `1000` | events per batch, and so per checkpoint |
 */
export const KafkaEnvSchema = z.object({
  KAFKA_BROKERS: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .transform((value) => value.split(',').filter((part) => part.trim() !== ''))
      .pipe(z.array(broker).min(1, 'at least one host:port'))
      .optional(),
  ),
  KAFKA_CLIENT_ID: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/)
      .default('netpulse'),
  ),
  KAFKA_TOPIC_PREFIX: z.preprocess(
    blankAsUndefined,
    z.string().regex(TOPIC_PREFIX_PATTERN, 'letters, digits and . _ -').default('netpulse'),
  ),
  KAFKA_PUBLISH_OBSERVATIONS: z.preprocess(blankAsUndefined, bool.default(false)),
  KAFKA_TOPIC_PARTITIONS: z.preprocess(
    blankAsUndefined,
    z.coerce.number().int().min(1).max(10_000).default(6),
  ),
  KAFKA_TOPIC_REPLICATION_FACTOR: z.preprocess(
    blankAsUndefined,
    z.coerce.number().int().min(1).max(32).optional(),
  ),
  KAFKA_PUBLISH_BATCH_SIZE: z.preprocess(
    blankAsUndefined,
    z.coerce.number().int().min(1).max(10_000).default(1000),
  ),
});

export class KafkaConfigError extends Error {
  override readonly name = 'KafkaConfigError';
}

/** The publisher's settings from `env`, or null when KAFKA_BROKERS is unset (publisher off). */
export const kafkaConfigFromEnv = (env: Readonly<Record<string, unknown>>): KafkaConfig | null => {
  const vars = KafkaEnvSchema.safeParse(env);
  if (!vars.success) {
    // Paths only, never values: a mistyped variable may hold a secret.
    const problems = vars.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new KafkaConfigError(`invalid Kafka configuration:\n${problems.join('\n')}`);
  }
  const e = vars.data;
  if (!e.KAFKA_BROKERS) return null;
  return {
    brokers: e.KAFKA_BROKERS.map((value) => value.trim()),
    clientId: e.KAFKA_CLIENT_ID,
    topicPrefix: e.KAFKA_TOPIC_PREFIX,
    publishObservations: e.KAFKA_PUBLISH_OBSERVATIONS,
    topicPartitions: e.KAFKA_TOPIC_PARTITIONS,
    topicReplicationFactor: e.KAFKA_TOPIC_REPLICATION_FACTOR ?? null,
    batchSize: e.KAFKA_PUBLISH_BATCH_SIZE,
  };
};
