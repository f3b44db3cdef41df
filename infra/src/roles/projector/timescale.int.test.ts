import { systemClock } from '@netpulse/domain';
import { metricSeries, silentProjectionLogger } from '@netpulse/projections';
import { detectBackend } from '@netpulse/testing';
import type pg from 'pg';
import { Registry } from 'prom-client';
import { GenericContainer, getContainerRuntimeClient, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresEventStore } from '../../event-store/postgres/postgres-event-store.js';
import { createPostgresEventStore } from '../../index.js';
import { createPool } from '../../postgres/pool.js';
import { loadProjectorConfig } from './projector-config.js';
import { type ProjectorRole, startProjectorRole } from './start-projector-role.js';
import { caughtUp } from './testing/read-model-dump.js';
import { appendScenario, SCENARIO_ORG, SCENARIO_START } from './testing/scenario.js';

const image = process.env.TIMESCALEDB_IMAGE ?? 'timescale/timescaledb:2.17.2-pg15';
const docker = await detectBackend(
  'Docker (for TimescaleDB via testcontainers)',
  () => getContainerRuntimeClient(),
  {
    requiredInCi: false,
  },
);

describe.skipIf(!docker.available)('metrics on TimescaleDB: hypertables and continuous aggregates', () => {
  let container: StartedTestContainer;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let role: ProjectorRole | undefined;

  beforeAll(async () => {
    container = await new GenericContainer(image)
      .withEnvironment({ POSTGRES_PASSWORD: 'netpulse', POSTGRES_DB: 'netpulse' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .withStartupTimeout(120_000)
      .start();
    const url = `postgres://postgres:netpulse@${container.getHost()}:${container.getMappedPort(5432)}/netpulse`;
    store = await createPostgresEventStore({ connectionString: url, schema: 'events', pollIntervalMs: 100 });
    pool = createPool({ connectionString: url, max: 20 });
    await appendScenario(store, 0);
  }, 180_000);

  afterAll(async () => {
    await role?.stop();
    await store?.close();
    await pool?.end();
    await container?.stop();
  });

  it('detects the extension and answers the same queries from continuous aggregates', async () => {
    role = await startProjectorRole({
      store,
      pool,
      schema: 'read',
      logger: silentProjectionLogger,
      registry: new Registry(),
      clock: systemClock,
      config: loadProjectorConfig({ NETPULSE_PROJECTOR_STANDBY_RETRY_MS: '100' }),
    });
    expect(role.readModels.storage).toBe('timescaledb');
    await expect
      .poll(() => caughtUp(store, role!.readModels.registry, role!.readModels.projections), {
        timeout: 30_000,
      })
      .toBe(true);
    const hypertables = await pool.query(
      `select hypertable_name from timescaledb_information.hypertables order by 1`,
    );
    expect(hypertables.rows.map((row) => row.hypertable_name)).toEqual([
      'interface_metrics_raw_v1',
      'metrics_raw_v1',
    ]);
    const now = new Date(SCENARIO_START.getTime() + 30 * 60_000);
    const series = await metricSeries(pool, 'read', {
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
  });
});
