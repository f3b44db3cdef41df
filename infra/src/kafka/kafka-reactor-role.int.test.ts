import { integrationTopics, silentReactorLogger } from '@netpulse/commands';
import { systemClock } from '@netpulse/domain';
import { detectPostgres } from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reactorConfigFromEnv } from '../roles/reactor/reactor-config.js';
import { type ReactorRole, startReactorRole } from '../roles/reactor/start-reactor-role.js';
import { type Fixture, openFixture } from '../roles/reactor/testing/reactor-fixture.js';
import { kafkaConfigFromEnv } from './kafka-config.js';
import {
  deleteTopicsWithPrefix,
  detectKafka,
  kafkaBrokers,
  TopicRecorder,
  uniqueTopicPrefix,
} from './testing/kafka-fixture.js';

const postgres = await detectPostgres();
const kafka = await detectKafka();
const poll = { timeout: 30_000, interval: 100 };

describe.skipIf(!postgres.available || !kafka.available)('reactor role with KAFKA_BROKERS set', () => {
  let fx: Fixture;
  let role: ReactorRole | undefined;
  let recorder: TopicRecorder | undefined;
  const prefix = uniqueTopicPrefix('role');
  const topics = integrationTopics(prefix);

  beforeAll(async () => {
    fx = await openFixture();
  });
  afterAll(async () => {
    await recorder?.close();
    await role?.stop();
    await fx?.close();
    if (kafka.available) await deleteTopicsWithPrefix(prefix);
  });

  it('runs the integration publisher beside the other reactors: a registration reaches its topic', async () => {
    const env = {
      NETPULSE_REACTOR_STANDBY_RETRY_SECONDS: '0.05',
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '2',
    };
    role = await startReactorRole({
      store: fx.store,
      connectionString: fx.connectionString,
      schema: fx.schema,
      logger: silentReactorLogger,
      registry: new Registry(),
      clock: systemClock,
      config: { ...reactorConfigFromEnv(env), kafka: kafkaConfigFromEnv(env) },
    });
    await expect.poll(() => role?.status()['integration-publisher'], poll).toBe('active');
    recorder = await TopicRecorder.start([topics.devices, topics.deviceStatus]);
    await fx.register('role-kafka-1');
    await expect
      .poll(
        () =>
          recorder?.messages.map((message) => [message.topic, message.key, message.headers['event-type']]),
        poll,
      )
      .toEqual([[topics.devices, 'role-kafka-1', 'device.registered']]);
    await role.stop();
    expect(role.status()['integration-publisher']).toBe('stopped');
  });

  it('is not there while KAFKA_BROKERS is unset', async () => {
    const other = await startReactorRole({
      store: fx.store,
      connectionString: fx.connectionString,
      schema: fx.schema,
      logger: silentReactorLogger,
      registry: new Registry(),
      clock: systemClock,
      config: { ...reactorConfigFromEnv({}), kafka: kafkaConfigFromEnv({}) },
    });
    try {
      expect(Object.keys(other.status()).sort()).not.toContain('integration-publisher');
    } finally {
      await other.stop();
    }
  });
});
