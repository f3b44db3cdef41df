import { systemClock } from '@netpulse/domain';
import {
  allProjections,
  availability,
  fleetSummary,
  getAlert,
  getDevice,
  listAlerts,
  listDevices,
  locateAlert,
  metricSeries,
  type Projection,
  projectionNames,
  rebuildProjections,
  silentProjectionLogger,
  startProjectionRunner,
} from '@netpulse/projections';
import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresEventStore } from '../../event-store/postgres/postgres-event-store.js';
import { createPostgresEventStore } from '../../index.js';
import { createPool } from '../../postgres/pool.js';
import { loadProjectorConfig } from './projector-config.js';
import { openReadModelDatabase } from './read-model-database.js';
import { type ProjectorRole, startProjectorRole } from './start-projector-role.js';
import { caughtUp, dumpReadModels } from './testing/read-model-dump.js';
import { appendScenario, SCENARIO_ORG, SCENARIO_START } from './testing/scenario.js';

const postgres = await detectPostgres();

const config = loadProjectorConfig({
  NETPULSE_PROJECTOR_BATCH_SIZE: '50',
  NETPULSE_PROJECTOR_STANDBY_RETRY_MS: '100',
  NETPULSE_PROJECTOR_LAG_SAMPLE_MS: '200',
});

describe.skipIf(!postgres.available)('projector role on the PostgreSQL event store', () => {
  const eventSchema = uniqueSchemaName('proj_events');
  const readSchema = uniqueSchemaName('proj_read');
  const freshSchema = uniqueSchemaName('proj_fresh');
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let role: ProjectorRole | undefined;
  const registry = new Registry();

  beforeAll(async () => {
    store = await createPostgresEventStore({
      connectionString: testDatabaseUrl(),
      schema: eventSchema,
      pollIntervalMs: 100,
    });
    pool = createPool({ connectionString: testDatabaseUrl(), max: 20 });
    await appendScenario(store, 0);
  });

  afterAll(async () => {
    await role?.stop();
    await store?.close();
    await pool?.end();
    for (const schema of [eventSchema, readSchema, freshSchema]) await dropSchema(schema);
  });

  it('builds every read model from a realistic event sequence, with the organization on every row', async () => {
    role = await startProjectorRole({
      store,
      pool,
      schema: readSchema,
      logger: silentProjectionLogger,
      registry,
      clock: systemClock,
      config,
    });
    const { registry: projections, projections: list } = role.readModels;
    await expect
      .poll(() => caughtUp(store, projections, list), { timeout: 20_000, interval: 100 })
      .toBe(true);

    const page = await listDevices(pool, readSchema, { organizationId: SCENARIO_ORG, limit: 3 });
    expect(page.items.map((device) => device.deviceId)).toEqual(['r0-dev-0', 'r0-dev-1', 'r0-dev-3']);
    const next = await listDevices(pool, readSchema, {
      organizationId: SCENARIO_ORG,
      cursor: page.nextCursor,
    });
    expect(next.items.map((device) => device.name)).toEqual(['name-r0-dev-4', 'renamed']);
    expect(next.nextCursor).toBeNull();
    expect(await listDevices(pool, readSchema, { organizationId: 'someone-else' })).toEqual({
      items: [],
      nextCursor: null,
    });

    const down = await getDevice(pool, readSchema, { organizationId: SCENARIO_ORG, deviceId: 'r0-dev-3' });
    expect(down).toMatchObject({
      status: 'down',
      parentId: 'r0-dev-0',
      tags: ['core', 'site:lab'],
      reachable: true,
    });
    expect(down?.lastObservedAt?.toISOString()).toBe('2026-11-20T10:19:30.000Z');
    expect(down?.rttAvgMs).toBeCloseTo(1 + ((193 * 7) % 50) / 10);
    const renamed = await getDevice(pool, readSchema, { organizationId: SCENARIO_ORG, deviceId: 'r0-dev-2' });
    expect(renamed).toMatchObject({ name: 'renamed', tags: ['edge'], status: 'degraded' });
    expect(renamed?.maintenance).toEqual([
      {
        windowId: 'w1',
        startsAt: '2026-11-20T10:10:00.000Z',
        endsAt: '2026-11-20T11:10:00.000Z',
        reason: 'firmware upgrade',
      },
    ]);

    expect(
      await fleetSummary(pool, readSchema, {
        organizationId: SCENARIO_ORG,
        now: new Date('2026-11-20T10:30:00Z'),
      }),
    ).toEqual({
      organizationId: SCENARIO_ORG,
      total: 5,
      up: 3,
      degraded: 1,
      down: 1,
      unreachable: 0,
      unknown: 0,
      monitoringPaused: 1,
      inMaintenance: 1,
    });

    // Outage of r0-dev-1: 10:05 → 10:10, five minutes; r0-dev-3 down since 10:12 and still open.
    const now = new Date('2026-11-20T10:30:00Z');
    const [day] = await availability(pool, readSchema, {
      organizationId: SCENARIO_ORG,
      deviceId: 'r0-dev-1',
      now,
    });
    expect(day).toMatchObject({
      window: '24h',
      outages: 1,
      downtimeSeconds: 300,
      mttrSeconds: 300,
      monitoredSeconds: 1_800,
    });
    expect(day?.availabilityPct).toBeCloseTo((100 * 1_500) / 1_800);

    const series = await metricSeries(pool, readSchema, {
      organizationId: SCENARIO_ORG,
      deviceId: 'r0-dev-0',
      metric: 'cpuPct',
      from: SCENARIO_START,
      to: new Date(SCENARIO_START.getTime() + 20 * 60_000),
      resolution: '1m',
      now,
    });
    expect(series.points).toHaveLength(20);
    expect(series.points[3]).toMatchObject({ samples: 1, avg: (30 * 13) % 100 });
    const raw = await metricSeries(pool, readSchema, {
      organizationId: SCENARIO_ORG,
      deviceId: 'r0-dev-4',
      metric: 'inBps',
      ifIndex: 2,
      from: SCENARIO_START,
      to: now,
      now,
    });
    expect(raw.resolution).toBe('raw');
    expect(raw.points).toHaveLength(20);
    const hourly = await metricSeries(pool, readSchema, {
      organizationId: SCENARIO_ORG,
      deviceId: 'r0-dev-0',
      metric: 'rttAvgMs',
      from: SCENARIO_START,
      to: now,
      resolution: '1h',
      now,
    });
    expect(hourly.points).toHaveLength(1);

    const alerts = await listAlerts(pool, readSchema, { organizationId: SCENARIO_ORG });
    expect(alerts.items.map((alert) => [alert.alertId, alert.state, alert.suppressed])).toEqual([
      ['a-0-3', 'open', true],
      ['a-0-1', 'resolved', false],
    ]);
    const resolved = await getAlert(pool, readSchema, { organizationId: SCENARIO_ORG, alertId: 'a-0-1' });
    expect(resolved).toMatchObject({
      count: 2,
      severity: 'critical',
      escalationLevel: 1,
      acknowledgedBy: { kind: 'user', id: 'alice' },
      acknowledgementNote: 'looking into it',
      resolvedAutomatically: true,
      notificationsSent: 1,
    });
    expect(resolved?.timeline.map((entry) => entry.type)).toEqual([
      'AlertRaised',
      'NotificationSent',
      'AlertRepeated',
      'AlertAcknowledged',
      'AlertEscalated',
      'AlertResolved',
    ]);
    expect(await locateAlert(pool, readSchema, 'a-0-1', SCENARIO_ORG)).toBe('k-r0-dev-1');
    expect(await locateAlert(pool, readSchema, 'a-0-1', 'another-org')).toBeNull();

    const metrics = await registry.getMetricsAsJSON();
    const lag = metrics.find((metric) => metric.name === 'netpulse_projection_lag_seconds');
    // Every projection the role runs reports its lag.
    expect(lag?.values.map((value) => value.labels.projection).sort()).toEqual([...projectionNames].sort());
  });

  it('keeps one active instance per projection; a standby takes over when it stops', async () => {
    const { registry: projections, projections: list } = role!.readModels;
    const devices = list.find((projection) => projection.name === 'devices')!;
    const second = startProjectionRunner({
      store,
      pool,
      registry: projections,
      projection: devices,
      logger: silentProjectionLogger,
      clock: systemClock,
      standbyRetryMs: 100,
    });
    await expect.poll(() => second.state().role, { timeout: 5_000 }).toBe('standby');
    expect(role!.status().devices?.role).toBe('active');
    await role!.stop();
    role = undefined;
    await expect.poll(() => second.state().role, { timeout: 5_000 }).toBe('active');
    await second.stop();
  });

  it('a runner whose checkpoint was moved by someone else starts over from the stored checkpoint', async () => {
    const { registry: projections, projections: list } = await openReadModelDatabase(pool, readSchema);
    const audit = list.find((projection) => projection.name === 'audit')!;
    const runner = startProjectionRunner({
      store,
      pool,
      registry: projections,
      projection: audit,
      logger: silentProjectionLogger,
      clock: systemClock,
    });
    await expect.poll(() => runner.state().role, { timeout: 5_000 }).toBe('active');
    // Another instance "moves" the checkpoint past the next events: the runner's next batch fails
    // its compare-and-set, writes nothing, and the runner resumes from what is stored.
    await appendScenario(store, 1);
    const head = await store.readAll({ filter: audit.filter, limit: 10_000 });
    const moved = head.checkpoint;
    const before = await pool.query(`select count(*)::int as n from "${readSchema}".audit_index`);
    await pool.query(
      `update "${readSchema}".projection_checkpoints set checkpoint = $1 where name = 'audit'`,
      [moved],
    );
    await expect.poll(() => runner.state().checkpoint, { timeout: 10_000 }).toBe(moved);
    const after = await pool.query(`select count(*)::int as n from "${readSchema}".audit_index`);
    // Nothing of round 1 doubled or squeezed in behind the moved checkpoint's back (it may have
    // applied some round-1 batches before the move; never more than the log holds).
    expect(after.rows[0].n).toBeLessThanOrEqual(head.events.length);
    expect(after.rows[0].n).toBeGreaterThanOrEqual(before.rows[0].n);
    await runner.stop();
  });
});

describe.skipIf(!postgres.available)('crash in the middle of a batch', () => {
  const eventSchema = uniqueSchemaName('crash_events');
  const crashedSchema = uniqueSchemaName('crash_read');
  const freshSchema = uniqueSchemaName('crash_fresh');
  let store: PostgresEventStore;
  let pool: pg.Pool;

  beforeAll(async () => {
    store = await createPostgresEventStore({
      connectionString: testDatabaseUrl(),
      schema: eventSchema,
      pollIntervalMs: 100,
    });
    pool = createPool({ connectionString: testDatabaseUrl(), max: 30 });
    await appendScenario(store, 0);
    await appendScenario(store, 1);
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    for (const schema of [eventSchema, crashedSchema, freshSchema]) await dropSchema(schema);
  });

  /** The real projection, whose connection is killed after its writes on chosen batches. */
  const killedAfterWrites = (projection: Projection, kills: Set<number>): Projection => {
    let batch = 0;
    return {
      ...projection,
      // The runner's small batch size for every projection (metrics would otherwise use its own).
      batchSize: undefined,
      apply: async (client, events, context) => {
        await projection.apply(client, events, context);
        batch += 1;
        if (kills.has(batch)) {
          kills.delete(batch);
          await client.query('select pg_terminate_backend(pg_backend_pid())');
        }
      },
    };
  };

  it('restarted after being killed mid-batch, read models equal a fresh rebuild row for row', async () => {
    const crashed = await openReadModelDatabase(pool, crashedSchema);
    const kills = new Map(crashed.projections.map((projection) => [projection.name, new Set([2, 5, 9])]));
    const runners = crashed.projections.map((projection) =>
      startProjectionRunner({
        store,
        pool,
        registry: crashed.registry,
        projection: killedAfterWrites(projection, kills.get(projection.name)!),
        logger: silentProjectionLogger,
        clock: systemClock,
        batchSize: 13,
      }),
    );
    // "Killed": stopped once the biggest projections were torn down mid-transaction three times.
    await expect
      .poll(() => [kills.get('devices')?.size, kills.get('metrics')?.size], { timeout: 10_000, interval: 20 })
      .toEqual([0, 0]);
    await Promise.all(runners.map((runner) => runner.stop()));
    const restarted = crashed.projections.map((projection) =>
      startProjectionRunner({
        store,
        pool,
        registry: crashed.registry,
        projection: killedAfterWrites(projection, new Set([1, 3])),
        logger: silentProjectionLogger,
        clock: systemClock,
        batchSize: 29,
      }),
    );
    await expect
      .poll(() => caughtUp(store, crashed.registry, crashed.projections), { timeout: 30_000 })
      .toBe(true);
    await Promise.all(restarted.map((runner) => runner.stop()));

    const fresh = await openReadModelDatabase(pool, freshSchema);
    await rebuildProjections({
      store,
      pool,
      registry: fresh.registry,
      projections: fresh.projections,
      logger: silentProjectionLogger,
      batchSize: 5_000,
    });
    const [left, right] = [
      await dumpReadModels(pool, crashedSchema),
      await dumpReadModels(pool, freshSchema),
    ];
    expect(left.audit_index!.length).toBeGreaterThan(50);
    expect(left.metrics_raw!.length).toBe(2 * 2 * 6 * 20);
    for (const view of Object.keys(left))
      expect({ view, rows: left[view] }).toEqual({ view, rows: right[view] });
  });
});

describe.skipIf(!postgres.available)('blue-green rebuild', () => {
  const eventSchema = uniqueSchemaName('bg_events');
  const readSchema = uniqueSchemaName('bg_read');
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let role: ProjectorRole | undefined;

  beforeAll(async () => {
    store = await createPostgresEventStore({
      connectionString: testDatabaseUrl(),
      schema: eventSchema,
      pollIntervalMs: 100,
    });
    pool = createPool({ connectionString: testDatabaseUrl(), max: 20 });
    await appendScenario(store, 0);
  });

  afterAll(async () => {
    await role?.stop();
    await store?.close();
    await pool?.end();
    await dropSchema(eventSchema);
    await dropSchema(readSchema);
  });

  it('fills the next version while the current one serves, switches, and the live projector follows', async () => {
    role = await startProjectorRole({
      store,
      pool,
      schema: readSchema,
      logger: silentProjectionLogger,
      registry: new Registry(),
      clock: systemClock,
      config,
    });
    const { registry, projections } = role.readModels;
    await expect.poll(() => caughtUp(store, registry, projections), { timeout: 20_000 }).toBe(true);
    const devices = projections.find((projection) => projection.name === 'devices')!;
    const before = await dumpReadModels(pool, readSchema);

    // The rebuild's batches wait on a gate: while they do, readers still get version 1, complete.
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const gated: Projection = {
      ...devices,
      apply: async (client, events, context) => {
        await gate;
        await devices.apply(client, events, context);
      },
    };
    const rebuilding = rebuildProjections({
      store,
      pool,
      registry,
      projections: [gated],
      logger: silentProjectionLogger,
    });
    await expect
      .poll(async () => (await registry.entry(pool, 'devices'))?.buildingVersion, { timeout: 5_000 })
      .toBe(2);
    const during = await listDevices(pool, readSchema, { organizationId: SCENARIO_ORG });
    expect(during.items).toHaveLength(5);
    open();
    expect(await rebuilding).toEqual([
      { name: 'devices', from: 1, to: 2, eventsApplied: expect.any(Number) },
    ]);

    expect(await registry.entry(pool, 'devices')).toMatchObject({ activeVersion: 2, buildingVersion: null });
    const tables = await pool.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = $1 and table_name like 'devices_v%'`,
      [readSchema],
    );
    expect(tables.rows.map((row) => row.name)).toEqual(['devices_v2']);
    expect(await dumpReadModels(pool, readSchema)).toEqual(before);

    // The live runner failed its next compare-and-set on version 1 and now feeds version 2.
    await appendScenario(store, 1);
    await expect.poll(() => role!.status().devices?.version, { timeout: 10_000 }).toBe(2);
    await expect
      .poll(
        async () => (await listDevices(pool, readSchema, { organizationId: SCENARIO_ORG })).items.length,
        {
          timeout: 10_000,
        },
      )
      .toBe(10);
    expect(allProjections('postgresql').map((projection) => projection.name)).toContain('devices');
  });
});
