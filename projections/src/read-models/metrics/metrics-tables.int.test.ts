import { detectPostgres, testDatabaseUrl } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf } from './metrics-tables.js';

const postgres = await detectPostgres();

/** Edges of minutes and hours, before and after the bin origin, in a session zone that is not UTC. */
const stamps = [
  '2026-11-21T10:00:00Z',
  '2026-11-21T10:00:59.999999Z',
  '2026-11-21T10:59:59.999999Z',
  '2026-03-08T07:30:00Z',
  '1999-12-31T23:59:30Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:00Z',
  '1969-12-31T23:59:59.999999Z',
  '1969-12-31T22:30:00Z',
];

describe.skipIf(!postgres.available)('rollup buckets (real PostgreSQL)', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`set timezone = 'America/New_York'`);
  });
  afterAll(async () => {
    await client?.end();
  });

  it.each([
    ['1 minute', 'minute'],
    ['1 hour', 'hour'],
  ] as const)('puts a point in the UTC %s it falls in, as date_trunc in UTC does', async (interval, unit) => {
    const { rows } = await client.query<{ t: string; bucket: string; truncated: string }>(
      `select t::text, (${bucketOf(interval, 't')})::text as bucket, date_trunc('${unit}', t, 'UTC')::text as truncated
       from unnest($1::timestamptz[]) t`,
      [stamps],
    );
    expect(rows).toHaveLength(stamps.length);
    for (const row of rows) expect(row.bucket, row.t).toBe(row.truncated);
  });
});
