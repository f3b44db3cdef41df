import type {
  IntegrationMessage,
  IntegrationPublisher,
  PendingPublish,
  ReactorLogger,
} from '@netpulse/commands';
import { Kafka, logLevel as kafkaLogLevel, type Message, type Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { kafkaLogCreator } from './kafka-log.js';
// Before any producer exists: kafkajs takes its record encoder and checksum at its first produce.
import './kafkajs-encoding.js';
import { createKafkaPublisherMetrics, type KafkaPublisherMetrics } from './kafka-metrics.js';
import { rememberingKeyPartitioner } from './key-partitioner.js';

export type KafkaPublisherOptions = Readonly<{
  brokers: readonly string[];
  clientId: string;
  /** Partitions of the topics this publisher creates; existing topics are left as they are. */
  topicPartitions: number;
  /** Null: min(3, brokers in the cluster). */
  topicReplicationFactor: number | null;
  /** A pino logger fits. */
  logger: ReactorLogger;
  registry?: Registry;
  /** How long the broker may take to acknowledge one produce request. */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** Producer retries before a publish fails and the reactor retries the batch from its checkpoint. */
  retries?: number;
  /**
   * Idempotent producers sending one batch's share each, concurrently (default 2): while the broker
   * writes one share the next is encoded. A key always goes through the same producer.
   */
  producers?: number;
}>;

/** FNV-1a over the key: which producer carries it. Stable across processes and restarts. */
const laneOf = (key: string, lanes: number): number => {
  if (lanes === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
};

/**
 * Integration events to Kafka through idempotent kafkajs producers (acks from all in-sync replicas,
 * one request in flight per broker each), so a producer's own retries never duplicate or reorder a
 * message. Each key always travels through the same producer ("lane"), and each lane sends its
 * share of one batch only after its share of the batch before was acknowledged, which keeps per-key
 * order across batches. (kafkajs numbers an idempotent producer's batches when it builds them, so
 * one producer must never have two sends in flight; several lanes are how sends overlap.)
 * `enqueue` returns before the broker answers, so the next batch is mapped and encoded while this
 * one is written. A failed send stops every lane from sending anything handed over later until
 * `prepare` (or a `publish`, which callers only make once the batch before settled) drops the
 * producers; the caller sends again from its checkpoint with new producer ids (at least once
 * overall; consumers deduplicate on the `event-id` header).
 */
export class KafkaIntegrationPublisher implements IntegrationPublisher {
  private readonly kafka: Kafka;
  private readonly metrics: KafkaPublisherMetrics;
  private readonly ensuredTopics = new Set<string>();
  private readonly lanes: Array<Promise<Producer> | null>;
  /** Per lane, the share sent last: the next share waits for it (settled, never rejected). */
  private readonly laneTails: Array<Promise<unknown>>;
  /** Publishes handed over and not settled yet. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** The first failure since the last reset; while set, nothing more is sent. */
  private failure: { error: unknown } | null = null;
  private closed = false;

  constructor(private readonly options: KafkaPublisherOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: options.retries ?? 5 },
      logLevel: kafkaLogLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
    });
    this.metrics = createKafkaPublisherMetrics(options.registry ?? new Registry());
    const lanes = Math.max(1, options.producers ?? 2);
    this.lanes = Array.from({ length: lanes }, () => null);
    this.laneTails = Array.from({ length: lanes }, () => Promise.resolve());
  }

  async prepare(topics: readonly string[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka publisher is closed');
    await this.ensureTopics(topics);
    await this.reset();
    await Promise.all(this.lanes.map((_, lane) => this.connectedProducer(lane)));
  }

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    // A caller that waits for each publish resends a failed batch before anything later.
    await this.reset();
    await this.enqueue(messages).acknowledged;
  }

  enqueue(messages: readonly IntegrationMessage[]): PendingPublish {
    const acknowledged = this.closed
      ? Promise.reject(new Error('the Kafka publisher is closed'))
      : this.sendInOrder(messages);
    const settled = acknowledged.catch(() => {});
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return { acknowledged };
  }

  /** Waits for the publishes in flight, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
    await this.dropProducers();
  }

  private async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** After a failure: once nothing is in flight, fresh producers (their sequence numbers start clean). */
  private async reset(): Promise<void> {
    await this.idle();
    if (!this.failure) return;
    this.failure = null;
    await this.dropProducers();
  }

  private async sendInOrder(messages: readonly IntegrationMessage[]): Promise<void> {
    const started = performance.now();
    const shares = this.lanes.map(() => new Map<string, Message[]>());
    const counts = new Map<string, number>();
    for (const message of messages) {
      const share = shares[laneOf(message.key, shares.length)]!;
      const list = share.get(message.topic) ?? [];
      if (list.length === 0) share.set(message.topic, list);
      list.push({ key: message.key, value: JSON.stringify(message.value), headers: message.headers });
      counts.set(message.topic, (counts.get(message.topic) ?? 0) + 1);
    }
    const sends = shares.map((share, lane) => {
      if (share.size === 0) return Promise.resolve();
      const send = this.laneTails[lane]!.then(() => this.sendShare(lane, share));
      this.laneTails[lane] = send.catch(() => {});
      return send;
    });
    const results = await Promise.allSettled(sends);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    this.metrics.publishSeconds((performance.now() - started) / 1000);
    for (const [topic, count] of counts) this.metrics.published(topic, count);
  }

  private async sendShare(lane: number, share: ReadonlyMap<string, Message[]>): Promise<void> {
    // An earlier share failed: sending this one would let it overtake what must be sent again.
    if (this.failure) throw this.failure.error;
    try {
      const producer = await this.connectedProducer(lane);
      await producer.sendBatch({
        acks: -1,
        timeout: this.options.requestTimeoutMs ?? 30_000,
        topicMessages: [...share].map(([topic, list]) => ({ topic, messages: list })),
      });
    } catch (error) {
      if (!this.failure) {
        this.failure = { error };
        this.metrics.failed();
      }
      throw error;
    }
  }

  private connectedProducer(lane: number): Promise<Producer> {
    const existing = this.lanes[lane];
    if (existing) return existing;
    const connecting = (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: rememberingKeyPartitioner(),
        retry: { initialRetryTime: 100, maxRetryTime: 5_000, retries: this.options.retries ?? 5 },
      });
      await producer.connect();
      return producer;
    })();
    this.lanes[lane] = connecting;
    // A failed connect must not be cached: the next publish tries again.
    connecting.catch(() => {
      if (this.lanes[lane] === connecting) this.lanes[lane] = null;
    });
    return connecting;
  }

  private async dropProducers(): Promise<void> {
    const producers = this.lanes.splice(0, this.lanes.length, ...this.lanes.map(() => null));
    await Promise.all(producers.map((producer) => producer?.then((p) => p.disconnect()).catch(() => {})));
  }

  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = topics.filter((topic) => !this.ensuredTopics.has(topic));
    if (missing.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const create = missing.filter((topic) => !existing.has(topic));
      if (create.length > 0) {
        const replicationFactor =
          this.options.topicReplicationFactor ?? Math.min(3, (await admin.describeCluster()).brokers.length);
        await admin.createTopics({
          waitForLeaders: true,
          topics: create.map((topic) => ({
            topic,
            numPartitions: this.options.topicPartitions,
            replicationFactor,
          })),
        });
        this.options.logger.info(
          { topics: create, partitions: this.options.topicPartitions, replicationFactor },
          'created Kafka topics',
        );
      }
      for (const topic of missing) this.ensuredTopics.add(topic);
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
}
