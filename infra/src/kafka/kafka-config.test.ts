import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/config.js';
import { kafkaConfigFromEnv } from './kafka-config.js';

describe('Kafka publisher configuration', () => {
  it('is off while KAFKA_BROKERS is unset or blank', () => {
    expect(kafkaConfigFromEnv({})).toBeNull();
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: '', KAFKA_TOPIC_PREFIX: 'acme' })).toBeNull();
    expect(loadConfig({}).reactor.kafka).toBeNull();
  });

  it('takes the brokers and the documented defaults', () => {
    expect(kafkaConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092, kafka-2.internal:9093,[::1]:9094' })).toEqual(
      {
        brokers: ['127.0.0.1:9092', 'kafka-2.internal:9093', '[::1]:9094'],
        clientId: 'netpulse',
        topicPrefix: 'netpulse',
        publishObservations: false,
        topicPartitions: 6,
        topicReplicationFactor: null,
        batchSize: 1000,
      },
    );
  });

  it('reads every variable, through loadConfig as `netpulse start` does', () => {
    const config = loadConfig({
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_CLIENT_ID: 'noc-eu',
      KAFKA_TOPIC_PREFIX: 'acme.noc',
      KAFKA_PUBLISH_OBSERVATIONS: 'true',
      KAFKA_TOPIC_PARTITIONS: '12',
      KAFKA_TOPIC_REPLICATION_FACTOR: '3',
      KAFKA_PUBLISH_BATCH_SIZE: '2000',
    });
    expect(config.reactor.kafka).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'noc-eu',
      topicPrefix: 'acme.noc',
      publishObservations: true,
      topicPartitions: 12,
      topicReplicationFactor: 3,
      batchSize: 2000,
    });
  });

  it('refuses nonsense by name and never repeats a value, which may hold a secret', () => {
    const withCredentials = 'kafka://admin:hunter2@broker:9092';
    expect(() => loadConfig({ KAFKA_BROKERS: withCredentials })).toThrowError(ConfigError);
    try {
      kafkaConfigFromEnv({ KAFKA_BROKERS: withCredentials });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toMatch(/KAFKA_BROKERS/);
      expect(String(error)).not.toMatch(/hunter2/);
    }
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'b:9092', KAFKA_TOPIC_PREFIX: 'my topics' })).toThrow(
      /KAFKA_TOPIC_PREFIX/,
    );
    expect(() => kafkaConfigFromEnv({ KAFKA_BROKERS: 'b:9092', KAFKA_TOPIC_PARTITIONS: '0' })).toThrow(
      /KAFKA_TOPIC_PARTITIONS/,
    );
    expect(() =>
      kafkaConfigFromEnv({ KAFKA_BROKERS: 'b:9092', KAFKA_PUBLISH_OBSERVATIONS: 'maybe' }),
    ).toThrow(/KAFKA_PUBLISH_OBSERVATIONS/);
  });
});
