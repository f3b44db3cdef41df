import { randomUUID } from 'node:crypto';
import {
  createAlertingReactor,
  createCommandBus,
  createHealthReactor,
  createIntegrationReactor,
  integrationStreams,
  integrationTopics,
  silentReactorLogger,
} from '@netpulse/commands';
import { HealthThresholds, streamEntityId } from '@netpulse/domain';
import { detectPostgres, freePort } from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, openFixture } from '../roles/reactor/testing/reactor-fixture.js';
import { KafkaIntegrationPublisher } from './kafka-publisher.js';
import {
  deleteTopicsWithPrefix,
  detectKafka,
  kafkaBrokers,
  type ReceivedMessage,
  TopicRecorder,
  topicPartitions,
  uniqueTopicPrefix,
} from './testing/kafka-fixture.js';

const postgres = await detectPostgres();
const kafka = await detectKafka();
const poll = { timeout: 30_000, interval: 100 };

/** What each stored event must become: an independent statement of the contract, not the mapper. */
const contract: Record<string, { stream: keyof typeof integrationStreams; eventType: string }> = {
  DeviceRegistered: { stream: 'devices', eventType: 'device.registered' },
  DeviceUpdated: { stream: 'devices', eventType: 'device.updated' },
  DeviceDecommissioned: { stream: 'devices', eventType: 'device.decommissioned' },
  DeviceStatusChanged: { stream: 'deviceStatus', eventType: 'device.status-changed' },
  AlertRaised: { stream: 'alerts', eventType: 'alert.raised' },
  AlertAcknowledged: { stream: 'alerts', eventType: 'alert.acknowledged' },
  AlertResolved: { stream: 'alerts', eventType: 'alert.resolved' },
};

type StoredEvent = {
  id: string;
  stream: string;
  version: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { organizationId: string; correlationId: string };
};

describe.skipIf(!postgres.available || !kafka.available)('Kafka integration publisher', () => {
  let fx: Fixture;
  let publisher: KafkaIntegrationPublisher;
  let recorder: TopicRecorder;
  const prefix = uniqueTopicPrefix('publisher');
  const topics = integrationTopics(prefix);
  const registry = new Registry();

  beforeAll(async () => {
    fx = await openFixture();
    publisher = new KafkaIntegrationPublisher({
      brokers: kafkaBrokers(),
      clientId: 'netpulse-it',
      topicPartitions: 3,
      topicReplicationFactor: null,
      logger: silentReactorLogger,
      registry,
    });
  });
  afterAll(async () => {
    await recorder?.close();
    await fx?.close();
    await publisher?.close();
    if (kafka.available) await deleteTopicsWithPrefix(prefix);
  });

  /** Every stored event the publisher owes Kafka, in global order. */
  const owed = async (): Promise<StoredEvent[]> =>
    (
      await fx.pool.query<StoredEvent>(
        `select event_id::text as id, stream_id as stream, stream_version::text as version, type, data, metadata
         from "${fx.schema}".events where type = any($1::text[]) order by global_position`,
        [Object.keys(contract)],
      )
    ).rows;

  it('creates its topics with the configured partitions', async () => {
    await publisher.prepare([topics.deviceStatus, topics.alerts, topics.devices]);
    expect(await topicPartitions(topics.alerts)).toBe(3);
    expect(await topicPartitions(topics.deviceStatus)).toBe(3);
    // Observations are off: their topic is not created.
    expect(await topicPartitions(topics.observations).catch(() => 0)).toBe(0);
  });

  it('every status and alert event appended to PostgreSQL arrives with its key and headers, in order per key', async () => {
    recorder = await TopicRecorder.start([topics.deviceStatus, topics.alerts, topics.devices]);
    const thresholds = HealthThresholds.parse({ flapHoldSeconds: 0 });
    fx.run(createHealthReactor({ thresholds }));
    fx.run(createAlertingReactor());
    fx.run(createIntegrationReactor({ publisher, topicPrefix: prefix, batchSize: 7 }));

    const bus = createCommandBus({
      store: fx.store,
      locateAlert: async (alertId) => {
        const { rows } = await fx.pool.query<{ stream: string }>(
          `select stream_id as stream from "${fx.schema}".events
           where type = 'AlertRaised' and data->>'alertId' = $1 limit 1`,
          [alertId],
        );
        return rows[0] ? streamEntityId(rows[0].stream) : null;
      },
    });
    const operator = (type: string, data: Record<string, unknown>) =>
      bus.execute(
        { type, data },
        {
          commandId: randomUUID(),
          now: new Date(),
          organizationId: 'org-reactor-it',
          actor: { kind: 'user', id: 'operator-it' },
        },
      );

    const devices = ['kafka-1', 'kafka-2', 'kafka-3', 'kafka-4'];
    for (const deviceId of devices) await fx.register(deviceId);
    for (const deviceId of devices) await fx.observe(deviceId, ['ok', 'fail', 'fail', 'fail']);
    const raised = async () => (await owed()).filter((event) => event.type === 'AlertRaised');
    await expect.poll(async () => (await raised()).length, poll).toBe(devices.length);
    for (const alert of await raised()) {
      await operator('AcknowledgeAlert', { alertId: alert.data.alertId, note: 'looking' });
    }
    for (const deviceId of devices) await fx.observe(deviceId, ['ok', 'ok'], 120);
    await expect
      .poll(async () => (await owed()).filter((event) => event.type === 'AlertResolved').length, poll)
      .toBe(devices.length);
    await operator('UpdateDevice', { deviceId: 'kafka-1', changes: { name: 'renamed' } });
    await operator('DecommissionDevice', { deviceId: 'kafka-2', reason: 'retired' });

    const expected = await owed();
    expect(new Set(expected.map((event) => event.type))).toEqual(new Set(Object.keys(contract)));
    await expect.poll(() => recorder.eventIds().size, poll).toBe(expected.length);
    // Nothing but what is owed (no observations, notes, notifications), each event once here.
    expect(recorder.eventIds()).toEqual(new Set(expected.map((event) => event.id)));

    const byId = new Map(recorder.messages.map((message) => [message.headers['event-id'], message]));
    for (const event of expected) {
      const { stream, eventType } = contract[event.type]!;
      const message = byId.get(event.id)!;
      const key = event.stream.startsWith('alert-')
        ? streamEntityId(event.stream)
        : String(event.data.deviceId);
      expect(message.topic).toBe(topics[stream]);
      expect(message.key).toBe(key);
      expect(message.headers).toEqual({
        'event-id': event.id,
        'event-type': eventType,
        'schema-version': '1',
        'organization-id': event.metadata.organizationId,
        'correlation-id': event.metadata.correlationId,
      });
      expect(message.value.schema).toBe(integrationStreams[stream].schemaId);
      expect(integrationStreams[stream].schema.safeParse(message.value).error).toBeUndefined();
      if (stream === 'alerts') expect(message.value.data).toMatchObject({ deviceId: expect.any(String) });
    }

    // Per key: one partition, and the order of the stream it came from.
    const byKey = new Map<string, ReceivedMessage[]>();
    for (const message of recorder.messages) {
      const list = byKey.get(`${message.topic}/${message.key}`) ?? [];
      byKey.set(`${message.topic}/${message.key}`, [...list, message]);
    }
    const version = new Map(expected.map((event) => [event.id, BigInt(event.version)]));
    for (const [key, list] of byKey) {
      expect(new Set(list.map((message) => message.partition)).size, key).toBe(1);
      const inOffsetOrder = [...list].sort((a, b) => (a.offset < b.offset ? -1 : 1));
      const versions = inOffsetOrder.map((message) => version.get(message.headers['event-id'] ?? '')!);
      expect(versions, key).toEqual([...versions].sort((a, b) => (a < b ? -1 : 1)));
    }

    const metrics = await registry.metrics();
    expect(metrics).toContain(
      `netpulse_kafka_messages_published_total{topic="${topics.alerts}"} ${3 * devices.length}`,
    );
    expect(metrics).toMatch(/netpulse_kafka_publish_duration_seconds_count \d+/);
  });

  it('with no broker answering it keeps retrying without a checkpoint, then publishes everything once one does', async () => {
    const name = 'integration-publisher-unreachable';
    const nowhere = new KafkaIntegrationPublisher({
      brokers: [`127.0.0.1:${await freePort()}`],
      clientId: 'netpulse-it',
      topicPartitions: 1,
      topicReplicationFactor: null,
      logger: silentReactorLogger,
      connectionTimeoutMs: 300,
      retries: 1,
    });
    const failures: string[] = [];
    const runner = fx.run(createIntegrationReactor({ publisher: nowhere, topicPrefix: prefix, name }), {
      logger: { ...silentReactorLogger, warn: (_fields, message) => failures.push(message ?? '') },
    });
    await expect.poll(() => failures.length, poll).toBeGreaterThanOrEqual(2);
    expect(failures).toContain('reactor could not start; will retry');
    expect(runner.status()).toBe('standby');
    expect(await fx.checkpoints.load(name)).toBeNull();
    await runner.stop();
    await nowhere.close();

    // The events waited in the store: a publisher that reaches the broker sends all of them.
    const later = uniqueTopicPrefix('publisher-later');
    const laterTopics = integrationTopics(later);
    const reachable = new KafkaIntegrationPublisher({
      brokers: kafkaBrokers(),
      clientId: 'netpulse-it',
      topicPartitions: 1,
      topicReplicationFactor: null,
      logger: silentReactorLogger,
    });
    try {
      await reachable.prepare([laterTopics.deviceStatus, laterTopics.alerts, laterTopics.devices]);
      const late = await TopicRecorder.start([
        laterTopics.deviceStatus,
        laterTopics.alerts,
        laterTopics.devices,
      ]);
      try {
        fx.run(createIntegrationReactor({ publisher: reachable, topicPrefix: later, name }));
        const expected = new Set((await owed()).map((event) => event.id));
        await expect.poll(() => late.eventIds().size, poll).toBe(expected.size);
        expect(late.eventIds()).toEqual(expected);
      } finally {
        await late.close();
      }
    } finally {
      await reachable.close();
      await deleteTopicsWithPrefix(later);
    }
  });
});
