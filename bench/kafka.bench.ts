/**
 * The Kafka integration publisher on the PostgreSQL service (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL) and a real broker (KAFKA_BROKERS, else 127.0.0.1:9092; see
 * infra/scripts/start-kafka.sh). Two phases, each on a fresh event-store schema and fresh topics:
 *
 * 1. Throughput: `--events N` (default 200,000) stored first — ICMP observations of `--devices N`
 *    (default 2,000) devices with, per device every 20 rounds, a decision cycling through status down,
 *    alert raised, status up, alert resolved — then the publisher (the integration reactor under the
 *    reactor runner, with observations on, batches of `--batch N`, default 1,000, checkpoints and
 *    lock in PostgreSQL) starts from position 0. Events/s = events / time until the broker
 *    acknowledged the last one. The topics' end offsets are then checked against the count.
 * 2. Latency: with the publisher live and a consumer (its own group) reading the topics, events of
 *    the same mix are appended at `--rate N`/s (default 1,000: three times the observations of
 *    10,000 devices polled every 30 s) for `--seconds N` (default 20), every
 *    20 ms an appendMany. Every event's latency is from calling appendMany to the consumer receiving
 *    it. Reports p50 / p99 / max, and events not received.
 */
import { randomBytes } from 'node:crypto';
import {
  createIntegrationReactor,
  integrationTopics,
  type ReactorContext,
  type ReactorRunner,
  silentReactorLogger,
  startReactorRunner,
} from '@netpulse/commands';
import {
  alertKeyOf,
  CURRENT_SCHEMA_VERSION,
  type EventToAppend,
  type RecordedEvent,
  type StreamAppend,
  streamId,
  systemClock,
} from '@netpulse/domain';
import {
  createPool,
  KafkaIntegrationPublisher,
  PostgresAdvisoryLock,
  PostgresEventStore,
  PostgresReactorCheckpoints,
} from '@netpulse/infra';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { icmpObservation } from './fleet-history.ts';
import { option } from './options.ts';
import { printResult } from './result-line.ts';

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const ORG = 'org-bench-kafka';
const meta = (id: string) => ({
  organizationId: ORG,
  actor: { kind: 'system' as const, id: 'bench' },
  correlationId: id,
  causationId: id,
  schemaVersion: CURRENT_SCHEMA_VERSION,
});
let sequence = 0;
const eventId = () => {
  sequence += 1;
  return `${randomBytes(4).toString('hex')}-0000-4000-8000-${sequence.toString(16).padStart(12, '0')}`;
};

/** Generates the mix: one observation per device per round, a decision per device every 20 rounds. */
class Workload {
  private round = 0;
  private readonly cycle = new Map<string, number>();
  constructor(private readonly devices: readonly string[]) {}

  private decision(deviceId: string, at: string): StreamAppend {
    const step = this.cycle.get(deviceId) ?? 0;
    this.cycle.set(deviceId, step + 1);
    const alertKey = alertKeyOf({ deviceId, condition: 'device-down' });
    const alertId = `${deviceId}-a${Math.floor(step / 4)}`;
    const id = eventId();
    const status = (from: string, to: string): EventToAppend => ({
      id,
      type: 'DeviceStatusChanged',
      data: { deviceId, from, to, reason: 'bench', changedAt: at },
      metadata: meta(id),
    });
    const alert = (type: string, data: Record<string, unknown>): StreamAppend => ({
      streamId: streamId('alert', alertKey),
      expectedVersion: 'any',
      events: [{ id, type, data: { alertId, ...data }, metadata: meta(id) }],
    });
    const device = (event: EventToAppend): StreamAppend => ({
      streamId: streamId('device', deviceId),
      expectedVersion: 'any',
      events: [event],
    });
    switch (step % 4) {
      case 0:
        return device(status('up', 'down'));
      case 1:
        return alert('AlertRaised', {
          alertKey,
          deviceId,
          ruleId: null,
          condition: 'device-down',
          severity: 'critical',
          summary: `${deviceId} is down`,
          details: { failures: 3 },
          raisedAt: at,
        });
      case 2:
        return device(status('down', 'up'));
      default:
        return alert('AlertResolved', {
          by: { kind: 'system', id: 'alerting-reactor' },
          automatic: true,
          note: null,
          resolvedAt: at,
        });
    }
  }

  /** The next `count` appends, each stream at most once per call of `take` within a round. */
  *appends(): Generator<StreamAppend> {
    for (;;) {
      const at = new Date().toISOString();
      for (let i = 0; i < this.devices.length; i++) {
        const deviceId = this.devices[i]!;
        const observation = icmpObservation(deviceId, at, this.round);
        const id = eventId();
        yield {
          streamId: streamId('observations', deviceId),
          expectedVersion: 'any',
          events: [{ ...observation, id, metadata: meta(id) }],
        };
        if ((i + this.round) % 20 === 0) yield this.decision(deviceId, at);
      }
      this.round += 1;
    }
  }
}

/** appendMany calls that never name one stream twice. */
const take = (source: Iterator<StreamAppend>, count: number): StreamAppend[][] => {
  const calls: StreamAppend[][] = [];
  let call: StreamAppend[] = [];
  let streams = new Set<string>();
  for (let i = 0; i < count; i++) {
    const next = source.next().value as StreamAppend;
    if (streams.has(next.streamId) || call.length >= 1_000) {
      calls.push(call);
      call = [];
      streams = new Set();
    }
    call.push(next);
    streams.add(next.streamId);
  }
  if (call.length > 0) calls.push(call);
  return calls;
};

export const main = async (args: string[]): Promise<void> => {
  const total = option(args, 'events', 200_000);
  const deviceCount = option(args, 'devices', 2_000);
  const batchSize = option(args, 'batch', 1_000);
  const partitions = option(args, 'partitions', 6);
  const producers = option(args, 'producers', 2);
  const rate = option(args, 'rate', 1_000);
  const seconds = option(args, 'seconds', 20);
  const url = process.env.BENCH_DATABASE_URL ?? testDatabaseUrl();
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  const kafka = new Kafka({ clientId: 'netpulse-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const devices = Array.from({ length: deviceCount }, (_, i) => `kafka-dev-${i}`);
  const cleanups: Array<() => Promise<unknown>> = [];

  /** The publisher as the reactor role runs it, on its own schema and topics. */
  /**
   * `read`, when given, collects the ids the store handed to the publisher: an event the consumer
   * never saw is then either one the store never delivered or one lost after it.
   */
  const startPublisher = async (
    store: PostgresEventStore,
    schema: string,
    prefix: string,
    read?: Set<string>,
  ) => {
    const registry = new Registry();
    const publisher = new KafkaIntegrationPublisher({
      brokers,
      clientId: 'netpulse-bench',
      topicPartitions: partitions,
      topicReplicationFactor: null,
      logger: silentReactorLogger,
      registry,
      producers,
    });
    const topics = Object.values(integrationTopics(prefix));
    await publisher.prepare(topics);
    const pool = createPool({ connectionString: url, max: 2 });
    await PostgresReactorCheckpoints.migrate(pool, schema);
    const reactor = createIntegrationReactor({
      publisher,
      topicPrefix: prefix,
      publishObservations: true,
      batchSize,
    });
    const runner: ReactorRunner = startReactorRunner({
      reactor: read
        ? {
            ...reactor,
            handle: (events, context) => {
              for (const event of events) read.add(event.id);
              return reactor.handle(events, context);
            },
            ...('dispatch' in reactor
              ? {
                  dispatch: (events: readonly RecordedEvent[], context: ReactorContext) => {
                    for (const event of events) read.add(event.id);
                    return reactor.dispatch(events, context);
                  },
                }
              : {}),
          }
        : reactor,
      store,
      checkpoints: new PostgresReactorCheckpoints(pool, schema),
      lock: new PostgresAdvisoryLock({ connectionString: url, namespace: schema }),
      clock: systemClock,
      logger: silentReactorLogger,
    });
    const stop = async () => {
      await runner.stop();
      await publisher.close();
      await pool.end();
    };
    const published = async () => {
      const metric = await registry.getSingleMetric('netpulse_kafka_messages_published_total')?.get();
      return (metric?.values ?? []).reduce((sum, value) => sum + value.value, 0);
    };
    return { topics, stop, published };
  };

  /** Where events the consumer never saw are: stored? behind the checkpoint? on the broker? */
  const explainMissing = async (ids: string[], schema: string, topics: readonly string[]) => {
    const pool = createPool({ connectionString: url, max: 1 });
    const s = `"${schema}"`;
    const { rows } = await pool.query<{ id: string; tx: string; pos: string; type: string }>(
      `select event_id::text as id, transaction_id::text as tx, global_position::text as pos, type
       from ${s}.events where event_id = any($1::uuid[])
       union all select event_id::text, transaction_id::text, global_position::text, type
       from ${s}.telemetry_events where event_id = any($1::uuid[])`,
      [ids],
    );
    const checkpoint = await pool.query(`select reactor, checkpoint from ${s}.reactor_checkpoints`);
    await pool.end();
    const onBroker = new Set<string>();
    const reader = kafka.consumer({ groupId: `bench-check-${randomBytes(4).toString('hex')}` });
    await reader.connect();
    await reader.subscribe({ topics: [...topics], fromBeginning: true });
    let lastSeen = performance.now();
    await reader.run({
      eachBatch: async ({ batch }) => {
        lastSeen = performance.now();
        for (const message of batch.messages) onBroker.add(message.headers?.['event-id']?.toString() ?? '');
      },
    });
    while (performance.now() - lastSeen < 3_000) await new Promise((resolve) => setTimeout(resolve, 200));
    await reader.disconnect();
    const found = ids.filter((id) => onBroker.has(id)).length;
    console.error(
      `missing ${ids.length}: ${rows.length} stored ${JSON.stringify(rows.slice(0, 3))}; ` +
        `checkpoints ${JSON.stringify(checkpoint.rows)}; on the broker: ${found} (broker holds ${onBroker.size} ids)`,
    );
    return found;
  };

  const openStore = async (name: string) => {
    const schema = uniqueSchemaName(name);
    const store = await PostgresEventStore.connect({ connectionString: url, schema, poolSize: 8 });
    const prefix = `bench.${schema}`;
    cleanups.push(async () => {
      await store.close();
      await dropSchema(schema);
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    });
    return { schema, store, prefix };
  };

  try {
    // Phase 1: a stored backlog, published from position 0.
    const backlog = await openStore('bench_kafka_backlog');
    const seedStarted = performance.now();
    const source = new Workload(devices).appends();
    for (const call of take(source, total)) await backlog.store.appendMany(call);
    const seedSeconds = (performance.now() - seedStarted) / 1_000;
    const analyze = createPool({ connectionString: url, max: 1 });
    await analyze.query(`analyze "${backlog.schema}".events; analyze "${backlog.schema}".telemetry_events`);
    await analyze.end();
    console.error(`seeded ${total} events in ${seedSeconds.toFixed(1)} s; publishing from position 0`);

    const cpuBefore = process.cpuUsage();
    const first = await startPublisher(backlog.store, backlog.schema, backlog.prefix);
    const started = performance.now();
    while ((await first.published()) < total) await new Promise((resolve) => setTimeout(resolve, 10));
    const publishSeconds = (performance.now() - started) / 1_000;
    const cpu = process.cpuUsage(cpuBefore);
    await first.stop();
    let brokerMessages = 0;
    for (const topic of first.topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) brokerMessages += Number(partition.high);
    }
    const throughput = Math.round(total / publishSeconds);
    console.error(
      `published ${total} in ${publishSeconds.toFixed(2)} s = ${throughput}/s; broker holds ${brokerMessages}; ` +
        `node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
    );

    // Phase 2: live appends at a fixed rate, latency to a consumer.
    const live = await openStore('bench_kafka_live');
    const delivered = new Set<string>();
    const second = await startPublisher(live.store, live.schema, live.prefix, delivered);
    const appendedAt = new Map<string, number>();
    const latencies: number[] = [];
    const consumer = kafka.consumer({
      groupId: `bench-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 100,
    });
    cleanups.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topics: second.topics, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const now = performance.now();
        for (const message of batch.messages) {
          const id = message.headers?.['event-id']?.toString() ?? '';
          const at = appendedAt.get(id);
          if (at !== undefined) {
            latencies.push(now - at);
            appendedAt.delete(id);
          }
        }
      },
    });
    await joined;

    const tickMs = 20;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1_000));
    const liveSource = new Workload(devices).appends();
    const liveStarted = performance.now();
    let appended = 0;
    let appendErrors = 0;
    const inFlight = new Set<Promise<void>>();
    for (let tick = 0; performance.now() - liveStarted < seconds * 1_000; tick++) {
      const wait = liveStarted + tick * tickMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (const call of take(liveSource, perTick)) {
        const at = performance.now();
        for (const append of call) for (const event of append.events) appendedAt.set(event.id, at);
        const work = live.store
          .appendMany(call)
          .then(() => {
            appended += call.length;
          })
          .catch(() => {
            appendErrors += 1;
            for (const append of call) for (const event of append.events) appendedAt.delete(event.id);
          });
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      }
      if (inFlight.size >= 8) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const drainDeadline = performance.now() + 30_000;
    while (appendedAt.size > 0 && performance.now() < drainDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const missing = appendedAt.size;
    await second.stop();
    const missingIds = [...appendedAt.keys()];
    const missingNeverDelivered = missingIds.filter((id) => !delivered.has(id)).length;
    const missingOnBroker = missing > 0 ? await explainMissing(missingIds, live.schema, second.topics) : 0;

    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const max = sorted[sorted.length - 1] ?? Number.NaN;
    console.error(
      `live: ${appended} appended at ${rate}/s for ${seconds} s, ${sorted.length} received, ${missing} missing; ` +
        `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
    );
    printResult({
      name: 'kafka',
      value: throughput,
      unit: 'events/s',
      p99Ms: Number(p99.toFixed(1)),
      p50Ms: Number(p50.toFixed(1)),
      maxMs: Number(max.toFixed(1)),
      events: total,
      publishSeconds: Number(publishSeconds.toFixed(2)),
      brokerMessages,
      nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      batchSize,
      partitions,
      producers,
      devices: deviceCount,
      liveRate: rate,
      liveSeconds: seconds,
      liveEvents: appended,
      liveReceived: sorted.length,
      liveMissing: missing,
      liveMissingNeverDeliveredByStore: missingNeverDelivered,
      liveMissingOnBroker: missingOnBroker,
      appendErrors,
      seedEventsPerSec: Math.round(total / seedSeconds),
    });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    await admin.disconnect();
  }
};
