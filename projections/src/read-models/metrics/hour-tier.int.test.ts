import type { RecordedEvent } from '@netpulse/domain';
import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionTables } from '../../runner/projection.js';
import { applyBatch, createTestVersion } from '../../testing/project-directly.js';
import { recorded } from '../../testing/recorded.js';
import { FOLD_SETTINGS, foldStep, HOUR_WATERMARK } from './hour-tier.js';
import { metricsProjection } from './metrics-projection.js';
import { deviceRollup } from './rollup-spec.js';

const postgres = await detectPostgres();

const HOUR = Date.parse('2026-11-21T10:00:00.000Z');
const MINUTE = 60_000;

const ping = (deviceId: string, at: number, rttAvgMs: number): RecordedEvent =>
  recorded(
    `observations-${deviceId}`,
    'DeviceObserved',
    {
      deviceId,
      probe: 'icmp',
      observedAt: new Date(at).toISOString(),
      reachable: true,
      error: null,
      icmp: { rttAvgMs, rttMaxMs: rttAvgMs, lossPct: 0 },
      tcp: null,
      snmp: null,
    },
    { at: new Date(at).toISOString() },
  );

/** One-sample minute rows of `devices` devices over `minutes` minutes from 2026-11-01. */
const minuteRows = (tables: VersionTables, devices: number, minutes: number) =>
  `insert into ${tables.table('metrics_1m')} (organization_id, device_id, bucket, samples, reachable_samples,
     rtt_count, rtt_sum, loss_count, loss_sum, tcp_connect_count, tcp_connect_sum, cpu_count, cpu_sum,
     memory_count, memory_sum)
   select 'org-a', 'dev-' || d, timestamptz '2026-11-01' + m * interval '1 minute', 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0
   from generate_series(1, ${devices}) d, generate_series(0, ${minutes - 1}) m`;

describe.skipIf(!postgres.available)('1-hour tiers kept from the 1-minute tiers', () => {
  const schemas: string[] = [];
  let pool: pg.Pool;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    for (const schema of schemas) await dropSchema(schema);
  });

  const version = async () => {
    const schema = uniqueSchemaName('hour_tier');
    schemas.push(schema);
    await pool.query(`create schema "${schema}"`);
    const projection = metricsProjection('postgresql');
    const tables = await createTestVersion(pool, schema, projection);
    const hourRows = async (from: 'view' | 'table') =>
      (
        await pool.query<{ bucket: string; samples: number; rtt_sum: string }>(
          `select bucket::text, samples, rtt_sum::text from ${from === 'view' ? `"${schema}".metrics_1h` : tables.table('metrics_1h')}
           where device_id = 'dev-a' order by bucket`,
        )
      ).rows;
    const openFrom = async () =>
      (await pool.query<{ at: string }>(`select open_from::text as at from ${tables.table(HOUR_WATERMARK)}`))
        .rows[0]!.at;
    return { schema, projection, tables, hourRows, openFrom };
  };

  it('stores no row per point for the open range, and the view adds it from the minute rows', async () => {
    const { projection, tables, hourRows, openFrom } = await version();
    await applyBatch(pool, projection, tables, [
      ping('dev-a', HOUR + 10_000, 1.5),
      ping('dev-a', HOUR + 40_000, 2),
    ]);
    // The first batch opens the range at the last step it cannot close yet.
    expect(await openFrom()).toBe('2026-11-21 09:55:00+00');
    await applyBatch(pool, projection, tables, [ping('dev-a', HOUR + 3 * MINUTE, 4.25)]);

    expect(await hourRows('table')).toEqual([]);
    expect(await hourRows('view')).toEqual([
      { bucket: '2026-11-21 10:00:00+00', samples: 3, rtt_sum: '7.750' },
    ]);
  });

  it('folds a step once the newest point is two minutes past its end, and merges later late points', async () => {
    const { projection, tables, hourRows, openFrom } = await version();
    await applyBatch(pool, projection, tables, [
      ping('dev-a', HOUR + 10_000, 1.5),
      ping('dev-a', HOUR + 4 * MINUTE, 2),
    ]);
    // 10:06:59 is not yet two minutes past 10:05: the step stays open.
    await applyBatch(pool, projection, tables, [ping('dev-b', HOUR + 6 * MINUTE + 59_000, 1)]);
    expect(await hourRows('table')).toEqual([]);
    // 10:07 closes the step 10:00–10:05, and the batch's own dev-a point at 10:06 stays open.
    await applyBatch(pool, projection, tables, [
      ping('dev-a', HOUR + 6 * MINUTE, 8),
      ping('dev-b', HOUR + 7 * MINUTE, 1),
    ]);
    expect(await openFrom()).toBe('2026-11-21 10:05:00+00');
    expect(await hourRows('table')).toEqual([
      { bucket: '2026-11-21 10:00:00+00', samples: 2, rtt_sum: '3.500' },
    ]);
    // A point from the closed step arrives late: merged into the stored hour at once.
    await applyBatch(pool, projection, tables, [ping('dev-a', HOUR + 2 * MINUTE, 0.25)]);
    expect(await hourRows('table')).toEqual([
      { bucket: '2026-11-21 10:00:00+00', samples: 3, rtt_sum: '3.750' },
    ]);
    // Stored part and open part of the same hour, once each.
    expect(await hourRows('view')).toEqual([
      { bucket: '2026-11-21 10:00:00+00', samples: 4, rtt_sum: '11.750' },
    ]);
  });

  it('opens a version made before the open range existed after its newest stored hour', async () => {
    const { projection, tables, hourRows, openFrom, schema } = await version();
    await applyBatch(pool, projection, tables, [
      ping('dev-a', HOUR + 10_000, 1.5),
      ping('dev-a', HOUR + 30 * MINUTE, 2),
    ]);
    // What an older version holds: every point in its 1-hour tier, and no watermark.
    await pool.query(
      `create temporary table whole_hours as select * from "${schema}".metrics_1h;
       truncate ${tables.table('metrics_1h')};
       insert into ${tables.table('metrics_1h')} select * from whole_hours;
       drop table whole_hours;
       drop table ${tables.table(HOUR_WATERMARK)} cascade`,
    );
    for (const statement of projection.createStatements(tables)) await pool.query(statement);
    for (const [view, select] of projection.views(tables))
      await pool.query(`create or replace view "${schema}"."${view}" as ${select}`);

    expect(await openFrom()).toBe('2026-11-21 11:00:00+00');
    await applyBatch(pool, projection, tables, [ping('dev-a', HOUR + 40 * MINUTE, 4)]);
    expect(await hourRows('view')).toEqual([
      { bucket: '2026-11-21 10:00:00+00', samples: 3, rtt_sum: '7.500' },
    ]);
  });

  it("reads one device's open range by its key, not every device's minutes", async () => {
    const { schema, tables } = await version();
    await pool.query(minuteRows(tables, 2000, 60));
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      `explain select * from "${schema}".metrics_1h where organization_id = 'org-a' and device_id = 'dev-7'
         and bucket >= '2026-11-01T00:00:00Z' and bucket < '2026-11-02T00:00:00Z'`,
    );
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    // Only the one-row watermark is scanned whole.
    expect(plan).not.toMatch(/Seq Scan on metrics_1[mh]/);
    expect(plan).toMatch(/Index Scan (using|on) metrics_1m_v1_pkey/);
  });

  it('reads a step to fold through the BRIN index of the minute tier, not the whole tier', async () => {
    const { tables } = await version();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(minuteRows(tables, 100, 1000));
      await client.query(FOLD_SETTINGS);
      await client.query(
        `prepare fold(timestamptz, timestamptz) as ${foldStep(tables, 'metrics', deviceRollup)}`,
      );
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain execute fold('2026-11-01T10:00:00Z', '2026-11-01T10:05:00Z')`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain('metrics_1m_v1_bucket_brin');
      expect(plan).not.toContain('Seq Scan');
    } finally {
      await client.query('rollback');
      await client.query('deallocate all');
      client.release();
    }
  });
});
