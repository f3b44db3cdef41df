import { type Checkpoint, type EventStore, ProbeSettings, type RecordedEvent, START } from '@netpulse/domain';
import {
  createPollerMetrics,
  type DeviceTarget,
  failedOutcome,
  ObservationEmitter,
  observationEvent,
  type PendingEvent,
} from '@netpulse/pollers';
import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PostgresEventStore } from '../../event-store/postgres/postgres-event-store.js';
import { type PostgresRelay, startPostgresRelay } from '../../event-store/testing/postgres-relay.js';
import { captureLogger } from './testing/capture-logger.js';

const postgres = await detectPostgres();

const target = (deviceId: string): DeviceTarget => ({
  deviceId,
  organizationId: 'org-1',
  name: deviceId,
  address: '127.0.0.1',
  paused: false,
  causationId: `cause-${deviceId}`,
  probes: ProbeSettings.parse({}),
});

const observation = (i: number, deviceId = `dev-${i % 7}`) =>
  observationEvent({
    pollerId: 'poller-test',
    target: target(deviceId),
    probeKey: 'icmp',
    kind: 'icmp',
    scheduledAt: new Date(Date.UTC(2026, 10, 21, 0, 0, i)),
    observedAt: new Date(Date.UTC(2026, 10, 21, 0, 0, i, 5)),
    outcome: failedOutcome('TIMEOUT', 'no echo reply to 3 packets', 2000),
  });

const until = async (condition: () => boolean | Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const metricValue = async (registry: Registry, name: string, labels: Record<string, string> = {}) => {
  const metric = await registry.getSingleMetric(name)!.get();
  return (
    metric.values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))
      ?.value ?? 0
  );
};

/** Every event in the store's schema, in global order. */
const allEvents = async (store: EventStore): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  let after: Checkpoint = START;
  for (;;) {
    const page = await store.readAll({ after, limit: 1_000 });
    events.push(...page.events);
    after = page.checkpoint;
    if (page.caughtUp) return events;
  }
};

/**
 * The emitter against the PostgreSQL event store. Its store connects through a loopback relay, so
 * "the store is down" is a real outage: connections cut and the port refusing (ECONNREFUSED).
 * The assertions read through a second store on the same schema that connects directly.
 */
describe.skipIf(!postgres.available)('ObservationEmitter on the PostgreSQL event store', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  const setup = async (options: Partial<{ capacity: number; batchSize: number }> = {}) => {
    const schema = uniqueSchemaName('emitter');
    const relay: PostgresRelay = await startPostgresRelay(testDatabaseUrl());
    const store = await PostgresEventStore.connect({ connectionString: relay.connectionString, schema });
    const reader = await PostgresEventStore.connect({ connectionString: testDatabaseUrl(), schema });
    // A spy, not a stand-in: every call still goes to the real store.
    const appendMany = vi.spyOn(store, 'appendMany');
    const registry = new Registry();
    const logger = captureLogger();
    const emitter = new ObservationEmitter({
      store,
      logger,
      metrics: createPollerMetrics(registry),
      capacity: options.capacity ?? 1_000,
      batchSize: options.batchSize ?? 50,
      flushIntervalMs: 10,
      maxBackoffMs: 100,
    });
    emitter.start();
    cleanup = async () => {
      await emitter.stop(1_000);
      await store.close();
      await reader.close();
      await relay.close();
      await dropSchema(schema);
    };
    return {
      relay,
      logger,
      registry,
      emitter,
      appendCalls: () => appendMany.mock.calls.length,
      events: () => allEvents(reader),
      stream: async (id: string) => (await reader.readStream(id)).events,
    };
  };

  it('appends observations in batches to each device stream', async () => {
    const { emitter, events, stream, appendCalls } = await setup({ batchSize: 50 });
    for (let i = 0; i < 200; i += 1) emitter.emit(observation(i));
    await until(async () => (await events()).length === 200);
    expect(appendCalls()).toBeLessThanOrEqual(8);
    expect((await stream('observations-dev-3')).length).toBeGreaterThan(0);
    const event = (await events())[0]!;
    expect(event.type).toBe('DeviceObserved');
    expect(event.metadata).toMatchObject({
      organizationId: 'org-1',
      actor: { kind: 'poller', id: 'poller-test' },
      causationId: 'cause-dev-0',
      correlationId: event.id,
      schemaVersion: 1,
    });
  });

  it('keeps observations while the store is down and stores each exactly once when it is back', async () => {
    const { relay, logger, registry, emitter, events, appendCalls } = await setup({ batchSize: 20 });
    await relay.down();
    for (let i = 0; i < 100; i += 1) emitter.emit(observation(i));
    await until(() => appendCalls() >= 3);
    // The outage is a real one: the driver could not connect.
    expect(logger.text()).toContain('ECONNREFUSED');
    expect(await events()).toHaveLength(0);
    expect(emitter.depth).toBe(100);
    expect(await metricValue(registry, 'netpulse_poller_buffer_depth')).toBe(100);
    await relay.up();
    // The same observations emitted again (a poller retrying after a crash) must not double.
    for (let i = 0; i < 100; i += 1) emitter.emit(observation(i));
    await until(() => emitter.depth === 0);
    const stored = await events();
    expect(stored).toHaveLength(100);
    expect(new Set(stored.map((event) => event.id)).size).toBe(100);
    expect(await metricValue(registry, 'netpulse_poller_append_failures_total')).toBeGreaterThanOrEqual(3);
  });

  it('counts what a full buffer drops, oldest first', async () => {
    const { relay, registry, emitter, events } = await setup({ capacity: 30, batchSize: 10 });
    await relay.down();
    for (let i = 0; i < 100; i += 1) emitter.emit(observation(i));
    // 30 buffered + at most one batch in flight are kept; everything else is counted.
    const dropped = await metricValue(registry, 'netpulse_poller_observations_dropped_total', {
      reason: 'buffer_full',
    });
    expect(dropped + emitter.depth).toBe(100);
    expect(emitter.depth).toBeLessThanOrEqual(40);
    await relay.up();
    await until(() => emitter.depth === 0);
    expect((await events()).map((event) => (event.data as { scheduledAt: string }).scheduledAt)).toContain(
      new Date(Date.UTC(2026, 10, 21, 0, 0, 99)).toISOString(),
    );
  });

  it('drops only the event the store refuses, and counts it', async () => {
    const { registry, emitter, events } = await setup({ batchSize: 10 });
    // The store refuses this one for real: its id is not a UUID (VALIDATION_FAILED, nothing written).
    const valid = observation(5);
    const poisoned: PendingEvent = { ...valid, event: { ...valid.event, id: 'not-a-uuid' } };
    for (let i = 0; i < 10; i += 1) emitter.emit(i === 5 ? poisoned : observation(i));
    await until(async () => (await events()).length === 9);
    expect(
      await metricValue(registry, 'netpulse_poller_observations_dropped_total', { reason: 'rejected' }),
    ).toBe(1);
  });

  it('counts what is still unsent when stopped with the store down', async () => {
    const { relay, registry, emitter } = await setup();
    await relay.down();
    for (let i = 0; i < 5; i += 1) emitter.emit(observation(i));
    await emitter.stop(200);
    expect(
      await metricValue(registry, 'netpulse_poller_observations_dropped_total', { reason: 'shutdown' }),
    ).toBe(5);
  });
});
