/**
 * Full rebuild of every read model from a seeded log, on the PostgreSQL service
 * (BENCH_DATABASE_URL, else TEST_DATABASE_URL).
 * Seeds `--events N` (default 1,000,000) realistic events into a fresh event-store schema through
 * the store's own appendMany (real hash chains): per device, an ICMP observation every 30 s and an
 * SNMP poll with 4 interfaces every 60 s, plus, now and then, an outage (status down, alert raised
 * and notified, status up, alert resolved), then VACUUM ANALYZE as autovacuum would. Then times
 * `rebuildProjections` of every projection (devices + fleet summary, metrics with rollups, outages,
 * alerts + timelines, audit index, alert rules, identities) into a fresh read-model schema, and
 * reports the CPU seconds of this process and of its own PostgreSQL backends (see backend-cpu.ts).
 * Options: --events N, --devices N (default 2000), --batch N (default 10000), --writers N (seeding
 * concurrency, default 2). BENCH_EVENT_SCHEMA=name keeps the seeded log in that schema (seeded only
 * when empty, never dropped), to repeat or profile rebuilds without re-seeding.
 */
import type { EventToAppend, StreamAppend } from '@netpulse/domain';
import { createPool, migrate, PostgresEventStore } from '@netpulse/infra';
import {
  allProjections,
  detectMetricsStorage,
  ProjectionRegistry,
  READ_MODEL_MIGRATIONS_TABLE,
  readModelMigrations,
  rebuildProjections,
  silentProjectionLogger,
} from '@netpulse/projections';
import { dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { load, trackBackendCpu, withApplicationName } from './backend-cpu.ts';
import {
  alertEvents,
  alertStream,
  appendOf,
  deviceStream,
  icmpObservation,
  observations,
  registration,
  snmpObservation,
  statusChange,
} from './fleet-history.ts';
import { option } from './options.ts';
import { printResult } from './result-line.ts';

/** One 30-second tick of a slice of the fleet, grouped by stream. */
const tick = (devices: readonly string[], k: number, at: (tick: number) => string): StreamAppend[] => {
  const byStream = new Map<string, EventToAppend[]>();
  const add = (stream: string, event: EventToAppend) =>
    byStream.set(stream, [...(byStream.get(stream) ?? []), event]);
  for (const [i, deviceId] of devices.entries()) {
    if (k === 0) {
      add(deviceStream(deviceId), registration(deviceId, at(0)));
      add(deviceStream(deviceId), statusChange(deviceId, at(0), 'unknown', 'up'));
    }
    add(observations(deviceId), icmpObservation(deviceId, at(k), k));
    if ((k + i) % 2 === 0) add(observations(deviceId), snmpObservation(deviceId, at(k), k, 4));
    // About one outage per device every 100 ticks (50 minutes).
    if ((k + i * 7) % 100 === 50) {
      add(deviceStream(deviceId), statusChange(deviceId, at(k), 'up', 'down'));
      add(deviceStream(deviceId), statusChange(deviceId, at(k + 1), 'down', 'up'));
      for (const event of alertEvents(deviceId, at(k), at(k + 1), k)) add(alertStream(deviceId), event);
    }
  }
  return [...byStream].map(([stream, events]) => appendOf(stream, events));
};

export const main = async (args: string[]): Promise<void> => {
  const target = option(args, 'events', 1_000_000);
  const deviceCount = option(args, 'devices', 2_000);
  const batchSize = option(args, 'batch', 10_000);
  const writers = option(args, 'writers', 2);
  const applicationName = `bench-rebuild-${process.pid}`;
  const url = withApplicationName(process.env.BENCH_DATABASE_URL ?? testDatabaseUrl(), applicationName);
  const keptSchema = process.env.BENCH_EVENT_SCHEMA;
  const eventSchema = keptSchema ?? uniqueSchemaName('bench_rebuild_events');
  const readSchema = uniqueSchemaName('bench_rebuild_read');
  const store = await PostgresEventStore.connect({ connectionString: url, schema: eventSchema, poolSize: 8 });
  const pool = createPool({ connectionString: url, max: 16, idleInTransactionTimeoutMs: 60_000 });
  try {
    // Seed: writers take disjoint slices of the fleet and append tick after tick.
    const empty = (await store.readAll({ limit: 1 })).events.length === 0;
    const ticks = empty ? Math.ceil(target / (deviceCount * 1.5)) : 0;
    const start = Date.now() - (ticks + 2) * 30_000;
    const at = (k: number) => new Date(start + k * 30_000).toISOString();
    const seeding = performance.now();
    let seeded = 0;
    const slices = Array.from({ length: writers }, (_, w) =>
      Array.from({ length: deviceCount }, (_, i) => `bench-dev-${i}`).filter((_, i) => i % writers === w),
    );
    await Promise.all(
      slices.map(async (devices) => {
        for (let k = 0; k < ticks && seeded < target; k++) {
          const appends = tick(devices, k, at);
          await store.appendMany(appends);
          seeded += appends.reduce((sum, append) => sum + append.events.length, 0);
          if (k % 50 === 0) console.error(`seeded ${seeded} events`);
        }
      }),
    );
    const seedSeconds = (performance.now() - seeding) / 1_000;
    if (empty) {
      console.error(`seeded ${seeded} events in ${seedSeconds.toFixed(1)} s`);
      // What autovacuum does after a bulk load (PostgreSQL 13+ vacuums insert-only tables too): hint
      // bits and the visibility map set, statistics gathered. Without statistics the planner sorts
      // the whole log for every page; without the vacuum the rebuild's first read of each page sets
      // its hint bits and writes it back, a cost a log that has been in service never shows.
      const vacuumStart = performance.now();
      await pool.query(`vacuum analyze "${eventSchema}".events, "${eventSchema}".telemetry_events`);
      console.error(`vacuum analyze of the log: ${((performance.now() - vacuumStart) / 1_000).toFixed(1)} s`);
    } else {
      // A kept log is counted, not re-seeded: no seeding rate to report for it.
      const { rows } = await pool.query<{ n: bigint }>(
        `select (select count(*) from "${eventSchema}".events) + (select count(*) from "${eventSchema}".telemetry_events) as n`,
      );
      seeded = Number(rows[0]?.n ?? 0);
      console.error(`kept log ${eventSchema}: ${seeded} events`);
    }

    await migrate(pool, readSchema, readModelMigrations, READ_MODEL_MIGRATIONS_TABLE);
    const storage = await detectMetricsStorage(pool);
    const registry = new ProjectionRegistry(pool, readSchema);
    const projections = allProjections(storage);
    const backends = trackBackendCpu(pool, applicationName);
    const loadBefore = load();
    await backends.start();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let lastReport = 0;
    const results = await rebuildProjections({
      store,
      pool,
      registry,
      projections,
      logger: { ...silentProjectionLogger, info: (obj, msg) => console.error(msg, JSON.stringify(obj)) },
      batchSize,
      onProgress: (read) => {
        if (read - lastReport >= 100_000) {
          lastReport = read;
          const elapsed = (performance.now() - started) / 1_000;
          console.error(`rebuilt ${read} events, ${Math.round(read / elapsed)} events/s`);
        }
      },
    });
    const seconds = (performance.now() - started) / 1_000;
    const cpu = process.cpuUsage(cpuBefore);
    const postgresCpuSeconds = await backends.stop();
    const loadAfter = load();
    const counts = await pool.query<{ view: string; rows: number }>(
      `select 'metrics_raw' as view, count(*)::int as rows from "${readSchema}".metrics_raw
       union all select 'interface_metrics_raw', count(*)::int from "${readSchema}".interface_metrics_raw
       union all select 'metrics_1m', count(*)::int from "${readSchema}".metrics_1m
       union all select 'devices', count(*)::int from "${readSchema}".devices
       union all select 'outages', count(*)::int from "${readSchema}".outages
       union all select 'alerts', count(*)::int from "${readSchema}".alerts
       union all select 'audit_index', count(*)::int from "${readSchema}".audit_index`,
    );
    console.error(counts.rows.map((row) => `${row.view}: ${row.rows}`).join(', '));
    printResult({
      name: 'rebuild',
      value: Math.round(seeded / seconds),
      unit: 'events/s',
      events: seeded,
      seconds: Number(seconds.toFixed(2)),
      projections: results.map((result) => result.name),
      metricsStorage: storage,
      devices: deviceCount,
      batchSize,
      nodeCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      // This run's own backends: with the Node figure, the work done, whatever else ran.
      postgresCpuSeconds,
      loadAverage: [loadBefore, loadAfter],
      // Only a run that seeded has a seeding rate. (Runs on a kept log once reported the time to
      // count it through readAll here, a read rate 4x the append rate: the "seeding" discrepancy.)
      seedEventsPerSec: empty ? Math.round(seeded / seedSeconds) : null,
      rows: Object.fromEntries(counts.rows.map((row) => [row.view, row.rows])),
    });
  } finally {
    await store.close();
    await pool.end();
    if (!keptSchema) await dropSchema(eventSchema);
    await dropSchema(readSchema);
  }
};
