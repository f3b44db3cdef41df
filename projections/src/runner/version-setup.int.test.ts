import { detectPostgres, dropSchema, testDatabaseUrl, uniqueSchemaName } from '@netpulse/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelMigrations } from '../registry/migrations.js';
import { ProjectionRegistry } from '../registry/registry.js';
import { type Projection, versionTables } from './projection.js';
import { createVersion, ensureViews } from './version-setup.js';

const postgres = await detectPostgres();

/** A projection with one table and one view over it, whose select the test changes. */
const withView = (select: (table: string) => string): Projection => ({
  name: 'view_demo',
  filter: {},
  createStatements: (t) => [`create table if not exists ${t.table('demo')} (n integer)`],
  views: (t) => [['demo', select(t.table('demo'))]],
  dropStatements: (t) => [`drop table if exists ${t.table('demo')}`],
  apply: async () => {},
});

describe.skipIf(!postgres.available)('reader-facing views on start', () => {
  const schema = uniqueSchemaName('version_setup');
  let pool: pg.Pool;
  let registry: ProjectionRegistry;
  const tables = versionTables(schema, 1);

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
    await pool.query(`create schema "${schema}"`);
    for (const migration of readModelMigrations) await pool.query(migration.sql(schema));
    registry = new ProjectionRegistry(pool, schema);
    await registry.ensure('view_demo');
    await createVersion(
      pool,
      withView(() => 'select 0 as n'),
      tables,
    );
    await pool.query(`insert into ${tables.table('demo')} values (1), (2), (3)`);
  });

  afterAll(async () => {
    await pool?.end();
    await dropSchema(schema);
  });

  const viewOid = async () =>
    (await pool.query<{ oid: number }>(`select to_regclass($1)::oid::int as oid`, [tables.view('demo')]))
      .rows[0]!.oid;
  const total = async () =>
    (await pool.query<{ n: number }>(`select sum(n)::int as n from ${tables.view('demo')}`)).rows[0]!.n;

  it('creates them once, keeps them while the code defines them the same, and re-creates them when it changes', async () => {
    const all = withView((table) => `select n from ${table}`);
    await ensureViews(pool, registry, all, tables);
    expect(await total()).toBe(6);
    const created = await viewOid();

    await ensureViews(pool, registry, all, tables);
    expect(await viewOid()).toBe(created);

    await ensureViews(
      pool,
      registry,
      withView((table) => `select n from ${table} where n > 1`),
      tables,
    );
    expect(await total()).toBe(5);
    expect(await viewOid()).not.toBe(created);
  });

  it('re-creates a view an earlier release made without its definition tag', async () => {
    const all = withView((table) => `select n from ${table}`);
    await ensureViews(pool, registry, all, tables);
    await pool.query(`comment on view ${tables.view('demo')} is null`);
    const untagged = await viewOid();

    await ensureViews(pool, registry, all, tables);
    expect(await viewOid()).not.toBe(untagged);
    expect(await total()).toBe(6);
  });
});
