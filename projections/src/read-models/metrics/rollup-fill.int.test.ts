import type { RecordedEvent } from '@netpulse/domain';
import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionTables } from '../../runner/projection.js';
import { withTransaction } from '../../sql/transaction.js';
import { applyBatch, createTestVersion } from '../../testing/project-directly.js';
import { recorded } from '../../testing/recorded.js';
import { metricsProjection } from './metrics-projection.js';

const postgres = await detectPostgres();

const START = Date.parse('2026-11-20T22:41:07.250Z');

/** An SNMP observation with two interfaces; values vary with `k` so every aggregate is tested. */
const observed = (deviceId: string, at: number, k: number): RecordedEvent => {
  const observedAt = new Date(at).toISOString();
  return recorded(
    `observations-${deviceId}`,
    'DeviceObserved',
    {
      deviceId,
      probe: k % 3 === 0 ? 'icmp' : 'snmp',
      observedAt,
      reachable: k % 7 !== 0,
      error: null,
      icmp:
        k % 3 === 0 ? { rttAvgMs: 0.1 * k + 1 / 3, rttMaxMs: 2 * k, lossPct: k % 5 === 0 ? 100 : 0 } : null,
      tcp: null,
      snmp:
        k % 3 === 0
          ? null
          : {
              cpuPct: (k * 37) % 101,
              memoryPct: 12.5,
              interfaces: [1, 2].map((index) => ({
                index,
                name: `ge-0/0/${index}`,
                operStatus: 'up',
                inBps: 1_000_000 + k * 17.25 * index,
                outBps: k % 4 === 0 ? null : 3 * k,
                inErrors: k % 2,
                outErrors: 0,
              })),
            },
    },
    { at: observedAt },
  );
};

/**
 * Three hours and a half of two devices, 40 to 80 s apart and not in time order (one device's
 * poller lags the other's by minutes, as a real log's do), so some buckets hold one sample and some
 * several, and the finish's time slices fall between samples of one bucket.
 */
const history = (): RecordedEvent[] => {
  const events: RecordedEvent[] = [];
  for (let k = 0; k < 260; k++) {
    const at = START + k * 48_500;
    events.push(observed('dev-a', at, k), observed('dev-b', at - 7 * 60_000 + (k % 5) * 9_000, k + 1));
  }
  return events;
};

const tierTables = ['metrics_1m', 'metrics_1h', 'interface_metrics_1m', 'interface_metrics_1h'];

describe.skipIf(!postgres.available)('rollups filled at the end of a rebuild', () => {
  const liveSchema = uniqueSchemaName('rollup_live');
  const rebuiltSchema = uniqueSchemaName('rollup_rebuilt');
  let pool: pg.Pool;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
    for (const schema of [liveSchema, rebuiltSchema]) await pool.query(`create schema "${schema}"`);
  });

  afterAll(async () => {
    await pool?.end();
    for (const schema of [liveSchema, rebuiltSchema]) await dropSchema(schema);
  });

  const rows = async (schema: string, table: string) =>
    (
      await pool.query<{ row: string }>(`select t::text as row from "${schema}"."${table}" t order by 1`)
    ).rows.map((row) => row.row);

  /** Applies `events` live in one version and as a rebuild in another; returns the rebuilt one. */
  const liveAndRebuilt = async (events: RecordedEvent[], version: number): Promise<VersionTables> => {
    const projection = metricsProjection('postgresql');
    const live = await createTestVersion(pool, liveSchema, projection, version);
    for (let i = 0; i < events.length; i += 37)
      await applyBatch(pool, projection, live, events.slice(i, i + 37));

    const rebuilt: VersionTables = await createTestVersion(pool, rebuiltSchema, projection, version);
    for (let i = 0; i < events.length; i += 101)
      await withTransaction(pool, (client) =>
        projection.apply(client, events.slice(i, i + 101), {
          ...rebuilt,
          mode: 'rebuild',
          afterCommit: () => {},
        }),
      );
    await projection.finishRebuild!((work) => withTransaction(pool, work), rebuilt);
    return rebuilt;
  };

  /** Through the reader-facing views (the live 1-hour view adds its open range), of the newest version. */
  const expectEqualTiers = async (minimumRows: (table: string) => number) => {
    for (const table of tierTables) {
      const expected = await rows(liveSchema, table);
      expect(expected.length).toBeGreaterThan(minimumRows(table));
      expect({ table, rows: await rows(rebuiltSchema, table) }).toEqual({ table, rows: expected });
    }
  };

  it('equal, row for row, the rollups live batches keep, in time slices of the whole history', async () => {
    await liveAndRebuilt(history(), 1);
    await expectEqualTiers((table) => (table.endsWith('1h') ? 6 : 300));
    // The slicing indexes are gone and every tier has its primary key back, as live batches need.
    const { rows: indexes } = await pool.query<{ name: string; method: string; primary: boolean }>(
      `select c.relname as name, am.amname as method, i.indisprimary as primary from pg_index i
       join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_am am on am.oid = c.relam
       where n.nspname = $1`,
      [rebuiltSchema],
    );
    expect(
      indexes
        .filter((index) => index.method === 'brin')
        .map((index) => index.name)
        .sort(),
    ).toEqual(['interface_metrics_1m_v1_bucket_brin', 'metrics_1m_v1_bucket_brin']);
    expect(indexes.filter((index) => index.primary)).toHaveLength(tierTables.length);
  });

  it('equal too where each bucket holds one sample, written row by row, and where a late one joins it', async () => {
    // One SNMP poll a minute per device: every 1-minute bucket of both tiers holds one sample (the
    // row-by-row path), until a late sample shares a bucket of the last slice with another.
    const events: RecordedEvent[] = [];
    for (let k = 0; k < 240; k++)
      for (const device of ['dev-a', 'dev-b', 'dev-c'])
        events.push(observed(device, START + k * 60_000 + device.charCodeAt(4) * 100, 3 * k + 1));
    events.push(observed('dev-b', START + 230 * 60_000 + 20_000, 5));
    await liveAndRebuilt(events, 2);
    await expectEqualTiers((table) => (table.endsWith('1h') ? 9 : 700));
    const { rows: shared } = await pool.query<{ table: string; samples: number }>(
      `select 'metrics_1m' as table, samples from "${rebuiltSchema}".metrics_1m_v2 where samples > 1
       union all select 'interface_metrics_1m', samples from "${rebuiltSchema}".interface_metrics_1m_v2 where samples > 1`,
    );
    expect(shared).toEqual([
      { table: 'metrics_1m', samples: 2 },
      { table: 'interface_metrics_1m', samples: 2 },
      { table: 'interface_metrics_1m', samples: 2 },
    ]);
  });
});
