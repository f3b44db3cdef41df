import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import { describe, expect, it } from 'vitest';
import { createPool } from '../../postgres/pool.js';
import { analyzeStaleTables } from './read-model-statistics.js';

const postgres = await detectPostgres();

describe.skipIf(!postgres.available)('read-model statistics', () => {
  it('analyzes the tables that changed past the threshold, and only those, so the planner sees their size', async () => {
    const schema = uniqueSchemaName('stats');
    const pool = createPool({ connectionString: testDatabaseUrl(), max: 1 });
    try {
      await pool.query(`create schema ${schema}`);
      await pool.query(`create table ${schema}.devices (id int primary key, name text)`);
      await pool.query(`create table ${schema}.quiet (id int primary key)`);
      await pool.query(`insert into ${schema}.devices select i, 'd' || i from generate_series(1, 5000) i`);
      await pool.query(`insert into ${schema}.quiet values (1)`);
      // One connection: its counters reach the statistics views once flushed.
      await pool.query('select pg_stat_force_next_flush()');
      await pool.query('select 1');

      expect(await analyzeStaleTables(pool, schema)).toEqual(['devices']);
      const { rows } = await pool.query<{ reltuples: number }>(
        `select reltuples from pg_class where oid = $1::regclass`,
        [`${schema}.devices`],
      );
      expect(rows[0]?.reltuples).toBe(5000);

      await pool.query('select pg_stat_force_next_flush()');
      await pool.query('select 1');
      expect(await analyzeStaleTables(pool, schema)).toEqual([]);
    } finally {
      await pool.end();
      await dropSchema(schema);
    }
  });
});
