import type { ProjectionLogger } from '@netpulse/projections';
import type pg from 'pg';
import { quoteIdent } from '../../postgres/pool.js';

/**
 * The tables of `schema` whose rows changed by more than autovacuum's default analyze threshold
 * (50 rows + 10 %) since their statistics were last gathered, analyzed now. Returns their names.
 */
export const analyzeStaleTables = async (pool: pg.Pool, schema: string): Promise<string[]> => {
  const { rows } = await pool.query<{ relname: string }>(
    `select relname from pg_stat_user_tables
     where schemaname = $1 and n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0)
     order by relname`,
    [schema],
  );
  for (const { relname } of rows) await pool.query(`analyze ${quoteIdent(schema)}.${quoteIdent(relname)}`);
  return rows.map((row) => row.relname);
};

/**
 * Keeps the read models' planner statistics current when the server's autovacuum does not. Without
 * them PostgreSQL plans from empty-table guesses: a page of 50 out of 10,000 devices became "join
 * all, then sort" (28 ms) instead of an ordered index scan that stops after 50 rows (0.08 ms).
 * With autovacuum on this does nothing beyond one settings read per interval.
 */
export const keepReadModelStatistics = (
  pool: pg.Pool,
  schema: string,
  logger: ProjectionLogger,
  intervalMs: number,
): (() => Promise<void>) => {
  if (intervalMs <= 0) return async () => {};
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const check = async () => {
    const { rows } = await pool.query<{ on: boolean }>(`select current_setting('autovacuum') = 'on' as on`);
    if (rows[0]?.on) return;
    const analyzed = await analyzeStaleTables(pool, schema);
    if (analyzed.length > 0) logger.info({ tables: analyzed }, 'read-model statistics refreshed');
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = check()
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'could not refresh read-model statistics; next interval retries'),
      )
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
};
