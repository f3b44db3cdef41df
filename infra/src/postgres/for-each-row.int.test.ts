import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresRelay } from '../event-store/testing/postgres-relay.js';
import { forEachRow } from './for-each-row.js';
import { createPool } from './pool.js';

const postgres = await detectPostgres();

describe.skipIf(!postgres.available)('forEachRow', () => {
  let pool: ReturnType<typeof createPool>;
  beforeAll(() => {
    pool = createPool({ connectionString: testDatabaseUrl(), max: 1, applicationName: 'netpulse-rows-test' });
  });
  afterAll(async () => {
    await pool.end();
  });

  it('hands over the rows of the last statement, in order, as arrays with their types parsed', async () => {
    const rows: unknown[][] = [];
    await forEachRow<[bigint, string]>(
      pool,
      "set local jit = off; select g::bigint, 'row ' || g from generate_series(1, 3) g",
      (row) => rows.push(row),
    );
    expect(rows).toEqual([
      [1n, 'row 1'],
      [2n, 'row 2'],
      [3n, 'row 3'],
    ]);
  });

  it('rejects with what the handler threw, skips the rest, and leaves the connection usable', async () => {
    const seen: number[] = [];
    await expect(
      forEachRow<[number]>(pool, 'select g from generate_series(1, 5) g', ([g]) => {
        if (g === 2) throw new Error('bad row 2');
        seen.push(g);
      }),
    ).rejects.toThrow('bad row 2');
    expect(seen).toEqual([1]);
    // The pool holds one connection: this reuses the one the failed read returned.
    const { rows } = await pool.query<{ ok: number }>('select 1 as ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('rejects when the database drops the connection mid-statement, and the pool recovers', async () => {
    await expect(
      forEachRow(
        pool,
        'select case when g = 3 then pg_terminate_backend(pg_backend_pid()) end from generate_series(1, 5) g',
        () => {},
      ),
    ).rejects.toThrow(/terminat/);
    const { rows } = await pool.query<{ ok: number }>('select 1 as ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('rejects when the network path to the database is cut mid-statement, without an unhandled error', async () => {
    const relay = await startPostgresRelay(testDatabaseUrl());
    const cut = createPool({
      connectionString: relay.connectionString,
      max: 1,
      applicationName: 'netpulse-rows-cut',
    });
    try {
      const reading = forEachRow(cut, 'select pg_sleep(10)', () => {});
      const running = async () =>
        (
          await pool.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where application_name = 'netpulse-rows-cut' and state = 'active'",
          )
        ).rows[0]!.n;
      await expect.poll(running, { timeout: 5_000 }).toBe(1);
      await relay.down();
      await expect(reading).rejects.toThrow(/terminated/i);
      await relay.up();
      const { rows } = await cut.query<{ ok: number }>('select 1 as ok');
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await cut.end();
      await relay.close();
    }
  });
});
