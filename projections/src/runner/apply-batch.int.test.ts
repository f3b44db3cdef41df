import { type Checkpoint, START } from '@netpulse/domain';
import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicesProjection } from '../read-models/devices/devices-projection.js';
import { identitiesProjection } from '../read-models/identities/identities-projection.js';
import { metricsProjection } from '../read-models/metrics/metrics-projection.js';
import { outagesProjection } from '../read-models/outages/outages-projection.js';
import { readModelMigrations } from '../registry/migrations.js';
import { ProjectionRegistry } from '../registry/registry.js';
import { deviceRegistered } from '../testing/device-events.js';
import { createTestVersion } from '../testing/project-directly.js';
import { recorded } from '../testing/recorded.js';
import { applyBatch } from './apply-batch.js';
import { readModelChannel } from './change-notice.js';
import type { Projection } from './projection.js';

const postgres = await detectPostgres();

const observed = (deviceId: string, observedAt: string) =>
  recorded(
    `observations-${deviceId}`,
    'DeviceObserved',
    {
      deviceId,
      probe: 'icmp',
      observedAt,
      reachable: true,
      error: null,
      icmp: { rttAvgMs: 1.5, lossPct: 0 },
      tcp: null,
      snmp: null,
    },
    { at: observedAt },
  );

describe.skipIf(!postgres.available)('applyBatch (real PostgreSQL)', () => {
  const schema = uniqueSchemaName('apply_batch');
  let pool: pg.Pool;
  let registry: ProjectionRegistry;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
    await pool.query(`create schema "${schema}"`);
    for (const migration of readModelMigrations) await pool.query(migration.sql(schema));
    registry = new ProjectionRegistry(pool, schema);
  });

  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });

  /** The projection, reporting the synchronous_commit its batch transaction runs with. */
  const reportingCommitMode = (projection: Projection, seen: string[]): Projection => ({
    ...projection,
    apply: async (client, events, context) => {
      const { rows } = await client.query<{ mode: string }>(
        `select current_setting('synchronous_commit') as mode`,
      );
      seen.push(rows[0]!.mode);
      await projection.apply(client, events, context);
    },
  });

  const applyFromStart = async (
    projection: Projection,
    events: Parameters<Projection['apply']>[1],
    mode: 'live' | 'rebuild' = 'live',
  ) => {
    await registry.ensure(projection.name);
    const { checkpoint } = (await registry.checkpoint(projection.name, 1))!;
    return applyBatch({
      pool,
      registry,
      projection,
      tables: await createTestVersion(pool, schema, projection),
      from: checkpoint,
      to: events[events.length - 1]!.checkpoint,
      events,
      lastEventAt: events[events.length - 1]!.recordedAt,
      mode,
    });
  };

  it('commits live batches without waiting for the WAL flush, except read models that gate access', async () => {
    const seen: string[] = [];
    const { rows } = await pool.query<{ mode: string }>(
      `select current_setting('synchronous_commit') as mode`,
    );
    const serverDefault = rows[0]!.mode;
    expect(serverDefault).not.toBe('off');
    await applyFromStart(reportingCommitMode(devicesProjection(), seen), [
      deviceRegistered('d1', '2026-11-21T00:00:00.000Z'),
    ]);
    await applyFromStart(reportingCommitMode(identitiesProjection(), seen), [
      recorded('organization-org-a', 'OrganizationCreated', {
        organizationId: 'org-a',
        name: 'A',
        createdAt: '2026-11-21T00:00:00.000Z',
      }),
    ]);
    expect(seen).toEqual(['off', serverDefault]);
    const devices = await pool.query(`select device_id from "${schema}".devices`);
    expect(devices.rows).toEqual([{ device_id: 'd1' }]);
  });

  it('re-creates a metrics partition that a server crash took back with an unflushed commit', async () => {
    const metrics = metricsProjection('postgresql');
    const batch = [observed('d1', '2026-11-20T10:00:00.000Z'), observed('d2', '2026-11-20T10:00:30.000Z')];
    expect(await applyFromStart(metrics, batch)).toBe('applied');
    // What a crash before the WAL flush leaves: neither the partition (created by that batch) nor
    // the checkpoint's move survived, while the projector process still remembers the partition.
    const partitions = await pool.query<{ name: string }>(
      `select inhrelid::regclass::text as name from pg_inherits
       where inhparent = '"${schema}".metrics_raw_v1'::regclass`,
    );
    expect(partitions.rows).toHaveLength(1);
    await pool.query(`drop table ${partitions.rows[0]!.name}`);
    await pool.query(`update "${schema}".projection_checkpoints set checkpoint = $1 where name = 'metrics'`, [
      START,
    ]);
    // The runner retries a failed batch from the durable checkpoint: the retry must get through.
    const outcome = await applyFromStart(metrics, batch).catch(() => applyFromStart(metrics, batch));
    expect(outcome).toBe('applied');
    const raw = await pool.query(`select count(*)::int as n from "${schema}".metrics_raw_v1`);
    expect(raw.rows[0].n).toBeGreaterThan(0);
  });

  it('announces a live batch that changed rows once it commits, and neither a rebuild batch nor a stale one', async () => {
    const listener = new pg.Client({ connectionString: testDatabaseUrl() });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (message) => heard.push(message.payload ?? ''));
      await listener.query(`listen "${readModelChannel(schema)}"`);
      const outages = outagesProjection();
      await registry.ensure(outages.name);
      const tables = await createTestVersion(pool, schema, outages);
      const event = deviceRegistered('n1', '2026-11-21T00:00:00.000Z');
      const batch = (from: Checkpoint, mode: 'live' | 'rebuild') =>
        applyBatch({
          pool,
          registry,
          projection: outages,
          tables,
          from,
          to: event.checkpoint,
          events: [event],
          lastEventAt: event.recordedAt,
          mode,
        });
      const { checkpoint } = (await registry.checkpoint(outages.name, 1))!;
      expect(await batch(checkpoint, 'live')).toBe('applied');
      // The checkpoint moved: the same batch again is stale, writes nothing, and says nothing.
      expect(await batch(checkpoint, 'live')).toBe('stale');
      // A round trip on the listening connection: every notification sent before it has arrived.
      await listener.query('select 1');
      expect(heard).toEqual(['outages']);

      await pool.query(
        `update "${schema}".projection_checkpoints set checkpoint = $1 where name = 'outages'`,
        [START],
      );
      expect(await batch(START, 'rebuild')).toBe('applied');
      await listener.query('select 1');
      expect(heard).toEqual(['outages']);
    } finally {
      await listener.end();
    }
  });
});
