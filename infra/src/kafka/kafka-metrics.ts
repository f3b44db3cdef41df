import { Counter, Histogram, type Registry } from 'prom-client';

export type KafkaPublisherMetrics = Readonly<{
  published(topic: string, count: number): void;
  publishSeconds(seconds: number): void;
  failed(): void;
}>;

const counter = <L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
) =>
  (registry.getSingleMetric(name) as Counter<L> | undefined) ??
  new Counter<L>({ name, help, labelNames, registers: [registry] });

/** The publisher's metrics in prom-client, registered once per registry. */
export const createKafkaPublisherMetrics = (registry: Registry): KafkaPublisherMetrics => {
  const published = counter(
    registry,
    'netpulse_kafka_messages_published_total',
    'Integration events the broker acknowledged, by topic (re-sends after a failure count again)',
    ['topic'],
  );
  const failures = counter(
    registry,
    'netpulse_kafka_publish_failures_total',
    'Publishes that failed after the producer retries; the batch is sent again from the checkpoint',
    [],
  );
  const name = 'netpulse_kafka_publish_duration_seconds';
  const duration =
    (registry.getSingleMetric(name) as Histogram | undefined) ??
    new Histogram({
      name,
      help: 'Time from handing a batch to the producer to the broker acknowledging all of it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  return {
    published: (topic, count) => published.inc({ topic }, count),
    publishSeconds: (seconds) => duration.observe(seconds),
    failed: () => failures.inc(),
  };
};
