import type pg from 'pg';
import { type Migration, migrate } from '../../postgres/migrator.js';

/** Kept apart from the event store's and the reactors' migrations: each owner applies only its own list. */
const MIGRATIONS_TABLE = 'api_schema_migrations';

/**
 * The API's own secrets. Password hashes and refresh-token bookkeeping are not events: a secret in
 * the log would live forever in every copy, replay and integration stream. Refresh tokens
 * themselves are never stored, only their ids.
 */
export const identityMigrations: readonly Migration[] = [
  {
    id: '0001-credentials',
    sql: (s) => `
create table if not exists ${s}.user_credentials (
  organization_id text not null,
  user_id text not null,
  password_hash text not null,
  set_by_kind text not null,
  set_by_id text not null,
  set_at timestamptz not null,
  primary key (organization_id, user_id)
);
create table if not exists ${s}.refresh_tokens (
  jti text primary key,
  family_id text not null,
  organization_id text not null,
  user_id text not null,
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz
);
create index if not exists refresh_tokens_family_idx on ${s}.refresh_tokens (family_id);
create index if not exists refresh_tokens_user_idx on ${s}.refresh_tokens (organization_id, user_id);
create index if not exists refresh_tokens_expiry_idx on ${s}.refresh_tokens (expires_at);`,
  },
];

export const migrateIdentityTables = (pool: pg.Pool, schema: string): Promise<string[]> =>
  migrate(pool, schema, identityMigrations, MIGRATIONS_TABLE);
