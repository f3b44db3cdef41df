import { describe, expect, it } from 'vitest';
import {
  heartbeatIntervalMs,
  PollerGroupConfigError,
  pollerGroupConfigFromEnv,
} from './poller-group-config.js';

describe('poller group configuration', () => {
  it('is off without KAFKA_BROKERS: each poller owns the whole fleet', () => {
    expect(pollerGroupConfigFromEnv({})).toBeNull();
    expect(pollerGroupConfigFromEnv({ KAFKA_BROKERS: '' })).toBeNull();
  });

  it('defaults: group netpulse-pollers, 12 partitions, 10 s session timeout', () => {
    const config = pollerGroupConfigFromEnv({ KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' });
    expect(config).toEqual({
      brokers: ['kafka-1:9092', 'kafka-2:9092'],
      clientId: 'netpulse',
      groupId: 'netpulse-pollers',
      topic: 'netpulse.poll-targets',
      partitions: 12,
      sessionTimeoutMs: 10_000,
      unassignedFallbackMs: 30_000,
    });
    expect(heartbeatIntervalMs(config!)).toBe(3_333);
  });

  it('reads every variable; the topic follows the shared prefix', () => {
    const config = pollerGroupConfigFromEnv({
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_TOPIC_PREFIX: 'noc-eu',
      KAFKA_POLLER_GROUP: 'eu-pollers',
      KAFKA_POLL_TARGET_PARTITIONS: '48',
      KAFKA_POLLER_SESSION_TIMEOUT_MS: '6000',
      KAFKA_POLLER_UNASSIGNED_FALLBACK_MS: '0',
    });
    expect(config).toMatchObject({
      topic: 'noc-eu.poll-targets',
      groupId: 'eu-pollers',
      partitions: 48,
      sessionTimeoutMs: 6_000,
      unassignedFallbackMs: 0,
    });
  });

  it('refuses unusable values, naming the variable and not the value', () => {
    const bad = (env: Record<string, string>) => () =>
      pollerGroupConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:9092', ...env });
    expect(bad({ KAFKA_POLL_TARGET_PARTITIONS: '0' })).toThrow(/KAFKA_POLL_TARGET_PARTITIONS/);
    expect(bad({ KAFKA_POLLER_SESSION_TIMEOUT_MS: 'soon' })).toThrow(/KAFKA_POLLER_SESSION_TIMEOUT_MS/);
    expect(bad({ KAFKA_POLLER_GROUP: 'two words' })).toThrow(PollerGroupConfigError);
    expect(() => pollerGroupConfigFromEnv({ KAFKA_BROKERS: 'https://user:hunter2@kafka' })).toThrow(
      PollerGroupConfigError,
    );
    try {
      pollerGroupConfigFromEnv({ KAFKA_BROKERS: 'https://user:hunter2@kafka' });
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
