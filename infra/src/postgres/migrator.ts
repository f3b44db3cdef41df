import type pg from 'pg';
import { quoteIdent } from './pool.js';

export type Migration = Readonly<{
  /** Unique and ordered: applied in ascending order, each once. */
  id: string;
  /** SQL for the given schema; it runs in one transaction with the bookkeeping row. */
  sql: (schema: string) => string;
}>;

/**
 * Applies pending migrations under an advisory lock, so several processes starting at once apply
 * each migration exactly once.
 */
export const migrate = async (
  pool: pg.Pool,
  schema: string,
  migrations: readonly Migration[],
  table = 'schema_migrations',
): Promise<string[]> => {
  const client = await pool.connect();
  const s = quoteIdent(schema);
  const lockKey = `netpulse-migrate:${schema}:${table}`;
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    await client.query(`create schema if not exists ${s}`);
    await client.query(
      `create table if not exists ${s}.${quoteIdent(table)} (id text primary key, applied_at timestamptz not null default now())`,
    );
    const { rows } = await client.query<{ id: string }>(`select id from ${s}.${quoteIdent(table)}`);
    const applied = new Set(rows.map((row) => row.id));
    const done: string[] = [];
    for (const migration of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
      if (applied.has(migration.id)) continue;
      await client.query('begin');
      try {
        await client.query(migration.sql(s));
        await client.query(`insert into ${s}.${quoteIdent(table)} (id) values ($1)`, [migration.id]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
      done.push(migration.id);
    }
    return done;
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
    client.release();
  }
};
