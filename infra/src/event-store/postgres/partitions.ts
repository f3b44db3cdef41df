import type pg from 'pg';
import { quoteIdent } from '../../postgres/pool.js';
import { dayStart, partitionDay, partitionName } from './telemetry.js';

const DAY_MS = 86_400_000;

/** Creates the daily telemetry partitions a batch needs; remembers the ones known to exist. */
export class TelemetryPartitions {
  private readonly known = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {}

  async ensure(times: Iterable<Date>): Promise<void> {
    const missing = new Map<string, Date>();
    for (const time of times) {
      const day = dayStart(time);
      const name = partitionName(day);
      if (!this.known.has(name)) missing.set(name, day);
    }
    for (const [name, day] of missing) {
      const s = quoteIdent(this.schema);
      const to = new Date(day.getTime() + DAY_MS);
      try {
        await this.pool.query(
          `create table if not exists ${s}.${quoteIdent(name)} partition of ${s}.telemetry_events
           for values from ('${day.toISOString()}') to ('${to.toISOString()}')`,
        );
      } catch (error) {
        // Two writers creating the same partition at once: the loser's error is harmless.
        if (!(await this.exists(name))) throw error;
      }
      this.known.add(name);
    }
  }

  /** Drops whole days of telemetry older than the retention; returns the partitions dropped. */
  async dropOlderThan(retentionDays: number, now: Date): Promise<string[]> {
    const cutoff = dayStart(new Date(now.getTime() - retentionDays * DAY_MS));
    const { rows } = await this.pool.query<{ name: string }>(
      `select c.relname as name from pg_inherits i
       join pg_class c on c.oid = i.inhrelid
       join pg_class p on p.oid = i.inhparent
       join pg_namespace n on n.oid = p.relnamespace
       where n.nspname = $1 and p.relname = 'telemetry_events'`,
      [this.schema],
    );
    const dropped: string[] = [];
    for (const { name } of rows) {
      const day = partitionDay(name);
      // A partition covers [day, day + 1); it may go once its whole day is past the cutoff.
      if (day && day.getTime() + DAY_MS <= cutoff.getTime()) {
        await this.pool.query(`drop table if exists ${quoteIdent(this.schema)}.${quoteIdent(name)}`);
        this.known.delete(name);
        dropped.push(name);
      }
    }
    return dropped;
  }

  private async exists(name: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2`,
      [this.schema, name],
    );
    return (rowCount ?? 0) > 0;
  }
}
