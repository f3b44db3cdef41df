/** A migration in the shape infra's migrator applies (`{ id, sql(schema) }`, schema already quoted). */
export type ReadModelMigration = Readonly<{ id: string; sql: (schema: string) => string }>;

/** Table the read-model migrations are recorded in, apart from the event store's own. */
export const READ_MODEL_MIGRATIONS_TABLE = 'projection_migrations';

/**
 * The registry every projection shares. Versioned read-model tables are not migrations: a version's
 * tables are created when that version is first built (`Projection.createStatements`) and dropped
 * when it is retired, so a rebuild never needs a schema migration.
 */
export const readModelMigrations: readonly ReadModelMigration[] = [
  {
    id: '0001-projection-registry',
    sql: (s) => `
create table ${s}.projections (
  name text primary key,
  active_version integer not null,
  building_version integer,
  switched_at timestamptz
);
create table ${s}.projection_checkpoints (
  name text not null,
  version integer not null,
  checkpoint text not null,
  events_applied bigint not null default 0,
  last_event_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (name, version)
);
`,
  },
];
