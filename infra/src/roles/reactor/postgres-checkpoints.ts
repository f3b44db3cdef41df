import type { CheckpointStore } from '@netpulse/commands';
import type { Checkpoint } from '@netpulse/domain';
import type pg from 'pg';
import { type Migration, migrate } from '../../postgres/migrator.js';
import { quoteIdent } from '../../postgres/pool.js';

/** Kept apart from the event store's own migrations so each owner applies only its own list. */
const MIGRATIONS_TABLE = 'reactor_schema_migrations';

export const reactorCheckpointMigrations: readonly Migration[] = [
  {
    id: '0001-reactor-checkpoints',
    sql: (s) => `
create table if not exists ${s}.reactor_checkpoints (
  reactor text primary key,
  checkpoint text not null,
  updated_at timestamptz not null default now()
);`,
  },
];

/** Reactor checkpoints in a small table beside the event store's (or in the read-model database). */
export class PostgresReactorCheckpoints implements CheckpointStore {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.reactor_checkpoints`;
  }

  static async migrate(pool: pg.Pool, schema: string): Promise<void> {
    await migrate(pool, schema, reactorCheckpointMigrations, MIGRATIONS_TABLE);
  }

  async load(reactorName: string): Promise<Checkpoint | null> {
    const { rows } = await this.pool.query<{ checkpoint: string }>(
      `select checkpoint from ${this.table} where reactor = $1`,
      [reactorName],
    );
    return rows[0]?.checkpoint ?? null;
  }

  async save(reactorName: string, checkpoint: Checkpoint): Promise<void> {
    await this.pool.query(
      `insert into ${this.table} (reactor, checkpoint) values ($1, $2)
       on conflict (reactor) do update set checkpoint = excluded.checkpoint, updated_at = now()`,
      [reactorName, checkpoint],
    );
  }

  /** For operators and tests: the reactor replays everything on its next activation. */
  async reset(reactorName: string): Promise<void> {
    await this.pool.query(`delete from ${this.table} where reactor = $1`, [reactorName]);
  }
}
